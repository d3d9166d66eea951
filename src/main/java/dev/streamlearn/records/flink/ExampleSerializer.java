package dev.streamlearn.records.flink;

import dev.streamlearn.records.Example;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Every example crosses the network once, from the parsers to its model's trainer, and the
 * trainer of a busy model reads all of them on one thread. Flink's POJO serializer took 350 ns to
 * read a generated click (field by field through reflection), 40 % of learning it; this one 100 ns
 * ({@code scripts/bench}: readClickExample against baselineReadClickExamplePojo). Examples are
 * never kept in state, so the format can change with the code; a field added to {@link Example}
 * must be added here ({@code ExampleSerializerTest} fails until it is).
 */
public final class ExampleSerializer extends RecordSerializer<Example> {

    public static final ExampleSerializer INSTANCE = new ExampleSerializer();

    private static final long serialVersionUID = 1L;
    private static final int HAS_MODEL = 1;
    private static final int HAS_ID = 2;
    private static final int HAS_FEATURES = 4;
    private static final int HAS_SERIES = 8;
    private static final int HAS_ENTITIES = 16;
    private static final int FEATURES_AS_SERVED = 32;
    private static final int LEARN_FAKE_NEGATIVE = 64;
    private static final int CALIBRATE = 128;

    @Override
    public Example createInstance() {
        return new Example();
    }

    @Override
    public Example copy(Example from) {
        Example e =
                new Example(from.modelId, from.id, from.ts, from.label, from.weight, RecordFields.copy(from.features));
        e.partition = from.partition;
        e.offset = from.offset;
        e.servedScore = from.servedScore;
        e.series = RecordFields.copy(from.series);
        e.entities = from.entities == null ? null : from.entities.clone();
        e.featuresAsServed = from.featuresAsServed;
        e.use = from.use;
        e.servedMargin = from.servedMargin;
        return e;
    }

    @Override
    public void serialize(Example e, DataOutputView out) throws IOException {
        int flags = (e.modelId != null ? HAS_MODEL : 0)
                | (e.id != null ? HAS_ID : 0)
                | (e.features != null ? HAS_FEATURES : 0)
                | (e.series != null ? HAS_SERIES : 0)
                | (e.entities != null ? HAS_ENTITIES : 0)
                | (e.featuresAsServed ? FEATURES_AS_SERVED : 0)
                | (e.use == Example.Use.LEARN_FAKE_NEGATIVE ? LEARN_FAKE_NEGATIVE : 0)
                | (e.use == Example.Use.CALIBRATE ? CALIBRATE : 0);
        out.writeByte(flags);
        if (e.modelId != null) {
            StringValue.writeString(e.modelId, out);
        }
        if (e.id != null) {
            StringValue.writeString(e.id, out);
        }
        out.writeLong(e.ts);
        out.writeDouble(e.label);
        out.writeDouble(e.weight);
        out.writeInt(e.partition);
        out.writeLong(e.offset);
        out.writeDouble(e.servedScore);
        if (e.use == Example.Use.CALIBRATE) {
            out.writeDouble(e.servedMargin);
        }
        if (e.features != null) {
            RecordFields.writeFeatures(e.features, out);
        }
        if (e.series != null) {
            RecordFields.writeScale(e.series, out);
        }
        if (e.entities != null) {
            RecordFields.writeStrings(e.entities, out);
        }
    }

    @Override
    public Example deserialize(DataInputView in) throws IOException {
        int flags = in.readByte();
        Example e = new Example();
        e.modelId = (flags & HAS_MODEL) != 0 ? StringValue.readString(in) : null;
        e.id = (flags & HAS_ID) != 0 ? StringValue.readString(in) : null;
        e.ts = in.readLong();
        e.label = in.readDouble();
        e.weight = in.readDouble();
        e.partition = in.readInt();
        e.offset = in.readLong();
        e.servedScore = in.readDouble();
        e.featuresAsServed = (flags & FEATURES_AS_SERVED) != 0;
        e.use = (flags & CALIBRATE) != 0
                ? Example.Use.CALIBRATE
                : (flags & LEARN_FAKE_NEGATIVE) != 0 ? Example.Use.LEARN_FAKE_NEGATIVE : Example.Use.LEARN;
        if (e.use == Example.Use.CALIBRATE) {
            e.servedMargin = in.readDouble();
        }
        if ((flags & HAS_FEATURES) != 0) {
            e.features = RecordFields.readFeatures(in);
        }
        if ((flags & HAS_SERIES) != 0) {
            e.series = RecordFields.readScale(in);
        }
        if ((flags & HAS_ENTITIES) != 0) {
            e.entities = RecordFields.readStrings(in);
        }
        return e;
    }

    @Override
    public TypeSerializerSnapshot<Example> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Named on {@link Example} so that Flink finds this serializer wherever an example flows. */
    public static final class TypeFactory extends TypeInfoFactory<Example> {
        @Override
        public TypeInformation<Example> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new RecordTypeInfo<>(Example.class, INSTANCE);
        }
    }

    /** Read by Flink when it restores a serializer it wrote down; public with a no-argument constructor for that. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Example> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
