package dev.streamlearn.records;

/**
 * How a time-series example or forecast request was standardized: its series' running mean and
 * deviation at that point, and the seasonal-naive forecast of the value (NaN where none), so
 * that scores can be judged and served in the series' own scale.
 */
public class SeriesScale {
    public double mean;
    public double std;
    public double naiveForecast = Double.NaN;

    public SeriesScale() {}

    public SeriesScale(double mean, double std, double naiveForecast) {
        this.mean = mean;
        this.std = std;
        this.naiveForecast = naiveForecast;
    }

    public double toSeries(double standardized) {
        return standardized * std + mean;
    }
}
