package dev.streamlearn.records.flink;

import dev.streamlearn.records.Features;
import dev.streamlearn.records.SeriesScale;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * How the records' serializers write the parts they share. A null array is written as length -1,
 * so that a null and an empty array come back as they went.
 */
final class RecordFields {

    private RecordFields() {}

    static void writeFeatures(Features f, DataOutputView out) throws IOException {
        writeInts(f.categorical, out);
        writeInts(f.numeric, out);
        writeDoubles(f.numericValues, out);
    }

    static Features readFeatures(DataInputView in) throws IOException {
        return new Features(readInts(in), readInts(in), readDoubles(in));
    }

    static Features copy(Features f) {
        if (f == null) {
            return null;
        }
        return new Features(
                f.categorical == null ? null : f.categorical.clone(),
                f.numeric == null ? null : f.numeric.clone(),
                f.numericValues == null ? null : f.numericValues.clone());
    }

    static void writeScale(SeriesScale s, DataOutputView out) throws IOException {
        out.writeDouble(s.mean);
        out.writeDouble(s.std);
        out.writeDouble(s.naiveForecast);
    }

    static SeriesScale readScale(DataInputView in) throws IOException {
        return new SeriesScale(in.readDouble(), in.readDouble(), in.readDouble());
    }

    static SeriesScale copy(SeriesScale s) {
        return s == null ? null : new SeriesScale(s.mean, s.std, s.naiveForecast);
    }

    /** An array of strings, any of which may be null. */
    static void writeStrings(String[] values, DataOutputView out) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.length);
        for (String v : values) {
            out.writeBoolean(v != null);
            if (v != null) {
                StringValue.writeString(v, out);
            }
        }
    }

    static String[] readStrings(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        String[] values = new String[n];
        for (int k = 0; k < n; k++) {
            values[k] = in.readBoolean() ? StringValue.readString(in) : null;
        }
        return values;
    }

    static void writeInts(int[] values, DataOutputView out) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    static int[] readInts(DataInputView in) throws IOException {
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

    static void writeDoubles(double[] values, DataOutputView out) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.length);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    static double[] readDoubles(DataInputView in) throws IOException {
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
}
