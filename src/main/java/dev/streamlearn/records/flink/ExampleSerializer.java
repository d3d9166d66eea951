package dev.streamlearn.records.flink;

import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.records.SeriesScale;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
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
public final class ExampleSerializer extends TypeSerializerSingleton<Example> {

    public static final ExampleSerializer INSTANCE = new ExampleSerializer();

    private static final long serialVersionUID = 1L;
    private static final int HAS_MODEL = 1;
    private static final int HAS_ID = 2;
    private static final int HAS_FEATURES = 4;
    private static final int HAS_SERIES = 8;
    private static final int HAS_ENTITIES = 16;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Example createInstance() {
        return new Example();
    }

    @Override
    public Example copy(Example from) {
        Example e = new Example(from.modelId, from.id, from.ts, from.label, from.weight, copy(from.features));
        e.partition = from.partition;
        e.offset = from.offset;
        e.servedScore = from.servedScore;
        if (from.series != null) {
            e.series = new SeriesScale(from.series.mean, from.series.std, from.series.naiveForecast);
        }
        e.entities = from.entities == null ? null : from.entities.clone();
        return e;
    }

    private static Features copy(Features f) {
        if (f == null) {
            return null;
        }
        return new Features(
                f.categorical == null ? null : f.categorical.clone(),
                f.numeric == null ? null : f.numeric.clone(),
                f.numericValues == null ? null : f.numericValues.clone());
    }

    @Override
    public Example copy(Example from, Example reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Example e, DataOutputView out) throws IOException {
        int flags = (e.modelId != null ? HAS_MODEL : 0)
                | (e.id != null ? HAS_ID : 0)
                | (e.features != null ? HAS_FEATURES : 0)
                | (e.series != null ? HAS_SERIES : 0)
                | (e.entities != null ? HAS_ENTITIES : 0);
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
        if (e.features != null) {
            writeInts(e.features.categorical, out);
            writeInts(e.features.numeric, out);
            writeDoubles(e.features.numericValues, out);
        }
        if (e.series != null) {
            out.writeDouble(e.series.mean);
            out.writeDouble(e.series.std);
            out.writeDouble(e.series.naiveForecast);
        }
        if (e.entities != null) {
            out.writeInt(e.entities.length);
            for (String v : e.entities) {
                out.writeBoolean(v != null);
                if (v != null) {
                    StringValue.writeString(v, out);
                }
            }
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
        if ((flags & HAS_FEATURES) != 0) {
            e.features = new Features(readInts(in), readInts(in), readDoubles(in));
        }
        if ((flags & HAS_SERIES) != 0) {
            e.series = new SeriesScale(in.readDouble(), in.readDouble(), in.readDouble());
        }
        if ((flags & HAS_ENTITIES) != 0) {
            e.entities = new String[in.readInt()];
            for (int k = 0; k < e.entities.length; k++) {
                e.entities[k] = in.readBoolean() ? StringValue.readString(in) : null;
            }
        }
        return e;
    }

    @Override
    public Example deserialize(Example reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    // a null array is written as length -1
    private static void writeInts(int[] values, DataOutputView out) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        int[] values = new int[n];
        for (int k = 0; k < n; k++) {
            values[k] = in.readInt();
        }
        return values;
    }

    private static void writeDoubles(double[] values, DataOutputView out) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.length);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private static double[] readDoubles(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        double[] values = new double[n];
        for (int k = 0; k < n; k++) {
            values[k] = in.readDouble();
        }
        return values;
    }

    @Override
    public TypeSerializerSnapshot<Example> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Read by Flink when it restores a serializer it wrote down; public with a no-argument constructor for that. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Example> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
