package io.ecompipeline.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class RobustScoreTest {

    @Test
    void medianAndMadOfAnOddHistory() {
        // median 100; deviations 0,1,1,2,2,3,3 -> MAD 2; z = (110 - 100) / (1.4826 * 2)
        RobustScore s = RobustScore.of(110, List.of(97.0, 98.0, 99.0, 100.0, 101.0, 102.0, 103.0));
        assertEquals(100, s.median());
        assertEquals(2, s.mad());
        assertEquals(10 / 2.9652, s.z(), 1e-9);
        assertEquals(7, s.points());
    }

    @Test
    void evenHistoryTakesTheMeanOfTheMiddleTwo() {
        RobustScore s = RobustScore.of(4, List.of(1.0, 2.0, 4.0, 10.0));
        assertEquals(3, s.median());
        // deviations 1, 1, 2, 7 -> 1.5
        assertEquals(1.5, s.mad());
    }

    @Test
    void oneEarlierSpikeDoesNotHideTheNext() {
        // a mean/stddev score would be ~1.9 here; the median and MAD ignore the earlier spike
        RobustScore s = RobustScore.of(1000, List.of(100.0, 101.0, 99.0, 1000.0, 100.0, 102.0, 98.0));
        assertTrue(s.z() > 100, String.valueOf(s.z()));
        assertTrue(s.isAnomaly(3.5, 0.2));
    }

    @Test
    void madOfZeroFallsBackToTheMeanAbsoluteDeviation() {
        // deviations from the median 3 are 1,0,0,0,0,0,1: MAD 0, mean absolute deviation 2/7
        RobustScore s = RobustScore.of(4, List.of(2.0, 3.0, 3.0, 3.0, 3.0, 3.0, 4.0));
        assertEquals(0, s.mad());
        assertEquals(1 / (1.253314 * 2 / 7), s.z(), 1e-9);
    }

    @Test
    void aFlatHistoryJudgesByDeviationAlone() {
        RobustScore same = RobustScore.of(5, List.of(5.0, 5.0, 5.0, 5.0));
        assertEquals(0.0, same.z());
        assertFalse(same.isAnomaly(3.5, 0.2));
        RobustScore slightlyOff = RobustScore.of(5.5, List.of(5.0, 5.0, 5.0, 5.0));
        assertNull(slightlyOff.z());
        assertFalse(slightlyOff.isAnomaly(3.5, 0.2), "10% off a flat history is below the 20% minimum deviation");
        assertTrue(RobustScore.of(7, List.of(5.0, 5.0, 5.0, 5.0)).isAnomaly(3.5, 0.2));
    }

    @Test
    void aLargeZAloneIsNotEnoughWhenTheChangeIsSmall() {
        // a very steady series: 1.5% off gives a huge z but stays below a 20% minimum deviation
        RobustScore s = RobustScore.of(1015, List.of(1000.0, 1001.0, 999.0, 1000.0, 1000.5, 999.5));
        assertTrue(Math.abs(s.z()) > 3.5);
        assertFalse(s.isAnomaly(3.5, 0.2));
        assertTrue(s.isAnomaly(3.5, 0.01));
    }

    @Test
    void aZeroMedianFlagsAnyChangeThatIsUnusualEnough() {
        assertTrue(RobustScore.of(0.3, List.of(0.0, 0.0, 0.0, 0.0)).isAnomaly(3.5, 0.2));
        assertFalse(RobustScore.of(0.0, List.of(0.0, 0.0, 0.0, 0.0)).isAnomaly(3.5, 0.2));
    }

    @Test
    void anEmptyHistoryIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RobustScore.of(1, List.of()));
    }
}
