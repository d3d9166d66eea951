package dev.streamlearn.records;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** One observation of a time series: {@code {"series":"PJME","ts":1041379200000,"value":26498.0}}. */
public class SeriesPoint {
    public String series;
    public long ts;
    public double value;

    public SeriesPoint() {}

    public SeriesPoint(String series, long ts, double value) {
        this.series = series;
        this.ts = ts;
        this.value = value;
    }

    /** The point in the wire format. */
    public String toJson() {
        return "{\"series\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(series)) + "\",\"ts\":" + ts
                + ",\"value\":" + value + "}";
    }
}
