package com.example.greeter;

import com.example.greeter.Packets.Greet;
import com.example.greeter.Packets.Greeting;
import com.example.greeter.Packets.SignIn;
import com.example.greeter.Packets.SignedIn;
import dev.switchboard.framework.Connection;
import dev.switchboard.framework.Handles;
import dev.switchboard.framework.ServerSide;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/** Server handlers. */
@ServerSide
public final class GreeterHandlers {

    /** Instances created, so a test can see that a client scanning this package never creates one. */
    static final AtomicInteger CREATED = new AtomicInteger();

    private final Guestbook guestbook;

    @Inject
    GreeterHandlers(Guestbook guestbook) {
        this.guestbook = guestbook;
        CREATED.incrementAndGet();
    }

    @Handles(blocking = true)
    SignedIn signIn(SignIn signIn, Connection connection) {
        connection.authenticate(signIn.name());
        guestbook.sign(signIn.name());
        return new SignedIn(signIn.name());
    }

    @Handles
    CompletionStage<Greeting> greet(Greet greet, Connection connection) {
        if (greet.whom().isBlank()) {
            throw new IllegalArgumentException("greet whom?");
        }
        return CompletableFuture.completedFuture(
                new Greeting("hello " + greet.whom() + " from " + connection.principal().orElseThrow()));
    }
}
