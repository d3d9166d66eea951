package dev.streamlearn.options;

/** Where the value of a job option is read: as given, else its default. */
public interface OptionValues {

    /** Every option at its default. */
    OptionValues DEFAULTS = new OptionValues() {
        @Override
        public <T> T get(Option<T> option) {
            return option.defaultValue;
        }
    };

    <T> T get(Option<T> option);
}
