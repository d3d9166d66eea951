package dev.streamlearn.series;

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
}
