package dev.roster.test;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

@org.springframework.boot.test.context.TestConfiguration(proxyBeanMethods = false)
public class TestConfiguration {

    @Bean
    @Primary
    MutableClock mutableClock() {
        return new MutableClock();
    }

    @Bean
    org.springframework.beans.factory.SmartInitializingSingleton roundTrips(javax.sql.DataSource dataSource) {
        return RoundTrips.installer(dataSource);
    }

    @Bean
    TestData testData() {
        return new TestData();
    }

    @Bean
    TestEvents testEvents(dev.roster.events.Events events,
                          org.springframework.transaction.support.TransactionTemplate transaction,
                          dev.roster.events.EventSequencer sequencer) {
        return new TestEvents(events, transaction, sequencer);
    }

    @Bean
    TestApi testApi(Environment environment, ObjectMapper json) {
        return new TestApi(environment, json);
    }
}
