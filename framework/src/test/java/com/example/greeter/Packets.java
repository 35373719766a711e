package com.example.greeter;

import dev.switchboard.framework.Command;
import dev.switchboard.framework.ErrorReply;

public final class Packets {

    private Packets() {}

    @Command(code = 1, anonymous = true)
    public record SignIn(String name) {}

    @Command(code = 2, anonymous = true)
    public record SignedIn(String name) {}

    @Command(code = 3)
    public record Greet(String whom) {}

    @Command(code = 4)
    public record Greeting(String text) {}

    @Command(code = 5)
    public record Problem(int requestCommand, String reason) implements ErrorReply {}

    @Command(code = 6)
    public record Announcement(String text) {}
}
