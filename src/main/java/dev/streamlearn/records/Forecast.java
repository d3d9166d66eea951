package dev.streamlearn.records;

/** The forecast of a series' next value, in the series' own scale, tagged with the model version. */
public class Forecast {
    public String series;
    /** Time of the step forecast. */
    public long ts;

    public double forecast;
    public String modelId;
    public long modelVersion;

    public Forecast() {}

    public Forecast(String series, long ts, double forecast, String modelId, long modelVersion) {
        this.series = series;
        this.ts = ts;
        this.forecast = forecast;
        this.modelId = modelId;
        this.modelVersion = modelVersion;
    }
}
