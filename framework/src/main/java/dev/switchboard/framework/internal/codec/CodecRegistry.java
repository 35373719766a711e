package dev.switchboard.framework.internal.codec;

import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.WireFormat;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The immutable two-way map between command codes and packet classes, plus the serializers by id. */
public final class CodecRegistry {

    private final WireFormat wireFormat;
    private final IntObjectMap<PacketType> byCode = new IntObjectHashMap<>();
    private final Map<Class<?>, PacketType> byClass = new HashMap<>();
    private final IntObjectMap<Serializer> serializers = new IntObjectHashMap<>();

    /** The packet types must already be validated (unique codes, in range): the scanner does that. */
    public CodecRegistry(WireFormat wireFormat, Collection<PacketType> types, List<Serializer> serializers) {
        this.wireFormat = wireFormat;
        for (PacketType type : types) {
            byCode.put(type.code(), type);
            byClass.put(type.type(), type);
        }
        for (Serializer serializer : serializers) {
            Serializer previous = this.serializers.put(serializer.id(), serializer);
            if (previous != null) {
                throw new IllegalArgumentException("serializer id " + serializer.id() + " is used by both "
                        + previous + " and " + serializer);
            }
        }
    }

    public WireFormat wireFormat() {
        return wireFormat;
    }

    /** The packet type for a command code, or null. */
    public PacketType byCode(int code) {
        return byCode.get(code);
    }

    /** The packet type of a class, or null. */
    public PacketType byClass(Class<?> type) {
        return byClass.get(type);
    }

    /** The serializer with this id, or null. */
    public Serializer serializer(int id) {
        return serializers.get(id);
    }

    public Collection<PacketType> packetTypes() {
        return byClass.values();
    }
}
