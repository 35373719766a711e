package dev.switchboard.im.store.memory;

import dev.switchboard.im.store.ConversationContractTest;
import dev.switchboard.im.store.Storage;

class MemoryConversationContractTest extends ConversationContractTest {

    @Override
    protected Storage open() {
        return new MemoryStorage();
    }
}
