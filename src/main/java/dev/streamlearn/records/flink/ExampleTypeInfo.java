package dev.streamlearn.records.flink;

import dev.streamlearn.records.Example;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The type of {@link Example} for Flink: serialized by {@link ExampleSerializer}, not as a POJO. */
public final class ExampleTypeInfo extends TypeInformation<Example> {

    private static final long serialVersionUID = 1L;

    /** Named on {@link Example} so that Flink finds this type wherever an example flows. */
    public static final class Factory extends TypeInfoFactory<Example> {
        @Override
        public TypeInformation<Example> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new ExampleTypeInfo();
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<Example> getTypeClass() {
        return Example.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<Example> createSerializer(SerializerConfig config) {
        return ExampleSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "Example";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExampleTypeInfo;
    }

    @Override
    public int hashCode() {
        return ExampleTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof ExampleTypeInfo;
    }
}
