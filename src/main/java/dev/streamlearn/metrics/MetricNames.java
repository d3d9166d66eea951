package dev.streamlearn.metrics;

/**
 * The names of the prequential measures, as the web UI, the stored versions, the model log and
 * the evaluation tool's output all call them.
 */
public final class MetricNames {

    public static final String LOG_LOSS = "logLoss";
    public static final String LOG_LOSS_TOTAL = "logLossTotal";
    public static final String ACCURACY = "accuracy";
    public static final String AUC = "auc";
    public static final String MAE = "mae";
    public static final String RMSE = "rmse";
    public static final String MAPE = "mape";
    public static final String MAE_TOTAL = "maeTotal";
    public static final String RMSE_TOTAL = "rmseTotal";
    public static final String FORECAST_MAE = "forecastMae";
    public static final String FORECAST_RMSE = "forecastRmse";
    public static final String FORECAST_MAPE = "forecastMape";
    public static final String NAIVE_MAE = "naiveMae";
    public static final String NAIVE_RMSE = "naiveRmse";
    public static final String NAIVE_MAPE = "naiveMape";
    /** The same measures of the scores the job served for joined impressions, before their labels were known. */
    public static final String SERVED_LOG_LOSS = "servedLogLoss";

    public static final String SERVED_AUC = "servedAuc";
    public static final String SERVED_MAE = "servedMae";
    public static final String SERVED_RMSE = "servedRmse";

    private MetricNames() {}
}
