package org.borderwatch.ingest.mqtt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicFilterTest {

    @Test
    void wildcardsMatchWholeLevels() {
        assertThat(TopicFilter.matches("alerts/#", "alerts/enter")).isTrue();
        assertThat(TopicFilter.matches("alerts/#", "alerts")).isTrue();
        assertThat(TopicFilter.matches("#", "units/UAV-1/position")).isTrue();
        assertThat(TopicFilter.matches("units/+/position", "units/UAV-1/position")).isTrue();
        assertThat(TopicFilter.matches("units/+/position", "units/UAV-1/tasks")).isFalse();
        assertThat(TopicFilter.matches("units/+", "units/UAV-1/position")).isFalse();
        assertThat(TopicFilter.matches("alerts/enter", "alerts/exit")).isFalse();
    }

    @Test
    void malformedFiltersAreRefused() {
        assertThat(TopicFilter.valid("alerts/#")).isTrue();
        assertThat(TopicFilter.valid("units/+/position")).isTrue();
        assertThat(TopicFilter.valid("alerts/#/x")).isFalse();
        assertThat(TopicFilter.valid("alerts/a#")).isFalse();
        assertThat(TopicFilter.valid("units/a+/position")).isFalse();
        assertThat(TopicFilter.valid("")).isFalse();
    }
}
