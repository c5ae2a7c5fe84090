package io.ecompipeline.quality;

import java.util.Arrays;
import java.util.List;

/**
 * How far a value lies from its history, robustly: the median of the history and its median absolute deviation (MAD),
 * so that one earlier spike does not hide the next one the way a mean and standard deviation would. The robust
 * z-score is {@code (value - median) / (1.4826 * MAD)} (1.4826 makes the MAD estimate a standard deviation for normal
 * data). A history whose values agree on more than half of its points has a MAD of 0; then the mean absolute
 * deviation scaled by 1.2533 stands in, and with no spread at all the score is undefined ({@code z} null): such an
 * hour is judged by its deviation alone.
 *
 * @param median  median of the history
 * @param mad     median absolute deviation of the history
 * @param z       robust z-score of the value, null when the history has no spread
 * @param points  size of the history
 */
public record RobustScore(double value, double median, double mad, Double z, int points) {

    static final double MAD_TO_SIGMA = 1.4826;
    static final double MEAN_AD_TO_SIGMA = 1.253314;

    public static RobustScore of(double value, List<Double> history) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("a robust score needs at least one historical value");
        }
        double[] sorted = history.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = median(sorted);
        double[] deviations = Arrays.stream(sorted).map(v -> Math.abs(v - median)).sorted().toArray();
        double mad = median(deviations);
        double scale = MAD_TO_SIGMA * mad;
        if (scale == 0) {
            scale = MEAN_AD_TO_SIGMA * Arrays.stream(deviations).average().orElse(0);
        }
        Double z;
        if (scale > 0) {
            z = (value - median) / scale;
        } else {
            z = value == median ? 0.0 : null;
        }
        return new RobustScore(value, median, mad, z, sorted.length);
    }

    /**
     * Anomalous when the score reaches {@code zThreshold} (an undefined score counts as reaching it) and the value
     * differs from the median by at least {@code minDeviation} of the median (any difference when the median is 0).
     */
    public boolean isAnomaly(double zThreshold, double minDeviation) {
        double deviation = Math.abs(value - median);
        boolean farEnough = median == 0 ? deviation > 0 : deviation >= minDeviation * Math.abs(median);
        boolean unusual = z == null ? deviation > 0 : Math.abs(z) >= zThreshold;
        return farEnough && unusual;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
