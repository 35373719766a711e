package com.example.greeter.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the client received unasked. */
public final class Inbox {
    public final List<Object> received = new CopyOnWriteArrayList<>();
}
