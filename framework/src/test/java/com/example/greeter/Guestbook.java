package com.example.greeter;

import dev.switchboard.framework.Service;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An application service with a life cycle. */
@Singleton
public final class Guestbook implements Service {

    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void start() {
        events.add("open");
    }

    void sign(String name) {
        events.add("signed " + name);
    }

    @Override
    public void stop() {
        events.add("closed");
    }
}
