package dev.streamlearn.records.flink;

import dev.streamlearn.records.FeatureNames;
import dev.streamlearn.records.PredictionRequest;
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
 * Every request crosses the network once, from its parser to inference, because inference is
 * connected to the broadcast model updates and so is never chained to its input. Flink's POJO
 * serializer wrote and read a request field by field through reflection, nested records and
 * arrays included; {@code scripts/bench} compares the two (roundTripClickRequest against
 * baselineRoundTripClickRequestPojo). Requests are never kept in state, so the format can change
 * with the code; a field added to {@link PredictionRequest} must be added here
 * ({@code PredictionRequestSerializerTest} fails until it is).
 */
public final class PredictionRequestSerializer extends RecordSerializer<PredictionRequest> {

    public static final PredictionRequestSerializer INSTANCE = new PredictionRequestSerializer();

    private static final long serialVersionUID = 1L;
    private static final int HAS_ID = 1;
    private static final int HAS_MODEL = 2;
    private static final int HAS_FEATURES = 4;
    private static final int HAS_SERIES = 8;
    private static final int HAS_SCALE = 16;
    private static final int HAS_IMPRESSION = 32;
    private static final int HAS_ENTITIES = 64;
    private static final int HAS_EXPLAINED = 128;
    private static final int HAS_ADDED = 256;
    private static final int ID_IS_NUMBER = 512;

    @Override
    public PredictionRequest createInstance() {
        return new PredictionRequest();
    }

    @Override
    public PredictionRequest copy(PredictionRequest from) {
        PredictionRequest r = new PredictionRequest(from.id, from.modelId, from.ts, RecordFields.copy(from.features));
        r.idIsNumber = from.idIsNumber;
        r.series = from.series;
        r.scale = RecordFields.copy(from.scale);
        r.impressionPayload = from.impressionPayload;
        r.entities = from.entities == null ? null : from.entities.clone();
        if (from.explained != null) {
            r.explained = new FeatureNames(
                    from.explained.categorical == null ? null : from.explained.categorical.clone(),
                    from.explained.numeric == null ? null : from.explained.numeric.clone());
        }
        r.added = from.added == null ? null : from.added.clone();
        r.readAtNanos = from.readAtNanos;
        r.parsedAtNanos = from.parsedAtNanos;
        r.stampedBy = from.stampedBy;
        return r;
    }

    @Override
    public void serialize(PredictionRequest r, DataOutputView out) throws IOException {
        int flags = (r.id != null ? HAS_ID : 0)
                | (r.modelId != null ? HAS_MODEL : 0)
                | (r.features != null ? HAS_FEATURES : 0)
                | (r.series != null ? HAS_SERIES : 0)
                | (r.scale != null ? HAS_SCALE : 0)
                | (r.impressionPayload != null ? HAS_IMPRESSION : 0)
                | (r.entities != null ? HAS_ENTITIES : 0)
                | (r.explained != null ? HAS_EXPLAINED : 0)
                | (r.added != null ? HAS_ADDED : 0)
                | (r.idIsNumber ? ID_IS_NUMBER : 0);
        out.writeShort(flags);
        if (r.id != null) {
            StringValue.writeString(r.id, out);
        }
        if (r.modelId != null) {
            StringValue.writeString(r.modelId, out);
        }
        out.writeLong(r.ts);
        if (r.features != null) {
            RecordFields.writeFeatures(r.features, out);
        }
        if (r.series != null) {
            StringValue.writeString(r.series, out);
        }
        if (r.scale != null) {
            RecordFields.writeScale(r.scale, out);
        }
        if (r.impressionPayload != null) {
            StringValue.writeString(r.impressionPayload, out);
        }
        if (r.entities != null) {
            RecordFields.writeStrings(r.entities, out);
        }
        if (r.explained != null) {
            RecordFields.writeStrings(r.explained.categorical, out);
            RecordFields.writeStrings(r.explained.numeric, out);
        }
        if (r.added != null) {
            RecordFields.writeStrings(r.added, out);
        }
        out.writeInt(r.stampedBy);
        out.writeLong(r.readAtNanos);
        out.writeLong(r.parsedAtNanos);
    }

    @Override
    public PredictionRequest deserialize(DataInputView in) throws IOException {
        int flags = in.readShort() & 0xffff;
        PredictionRequest r = new PredictionRequest();
        r.id = (flags & HAS_ID) != 0 ? StringValue.readString(in) : null;
        r.idIsNumber = (flags & ID_IS_NUMBER) != 0;
        r.modelId = (flags & HAS_MODEL) != 0 ? StringValue.readString(in) : null;
        r.ts = in.readLong();
        if ((flags & HAS_FEATURES) != 0) {
            r.features = RecordFields.readFeatures(in);
        }
        if ((flags & HAS_SERIES) != 0) {
            r.series = StringValue.readString(in);
        }
        if ((flags & HAS_SCALE) != 0) {
            r.scale = RecordFields.readScale(in);
        }
        if ((flags & HAS_IMPRESSION) != 0) {
            r.impressionPayload = StringValue.readString(in);
        }
        if ((flags & HAS_ENTITIES) != 0) {
            r.entities = RecordFields.readStrings(in);
        }
        if ((flags & HAS_EXPLAINED) != 0) {
            r.explained = new FeatureNames(RecordFields.readStrings(in), RecordFields.readStrings(in));
        }
        if ((flags & HAS_ADDED) != 0) {
            r.added = RecordFields.readStrings(in);
        }
        r.stampedBy = in.readInt();
        r.readAtNanos = in.readLong();
        r.parsedAtNanos = in.readLong();
        return r;
    }

    @Override
    public TypeSerializerSnapshot<PredictionRequest> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Named on {@link PredictionRequest} so that Flink finds this serializer wherever a request flows. */
    public static final class TypeFactory extends TypeInfoFactory<PredictionRequest> {
        @Override
        public TypeInformation<PredictionRequest> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new RecordTypeInfo<>(PredictionRequest.class, INSTANCE);
        }
    }

    /** Read by Flink when it restores a serializer it wrote down; public with a no-argument constructor for that. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PredictionRequest> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
