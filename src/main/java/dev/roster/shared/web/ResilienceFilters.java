package dev.roster.shared.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ObjectProvider;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.thymeleaf.ITemplateEngine;

import dev.roster.shared.database.DatabaseSettings;

/**
 * The filters every request passes first: its id, its metrics, then the net that answers 503 for a database outage.
 */
@Configuration(proxyBeanMethods = false)
class ResilienceFilters {

    @Bean
    FilterRegistrationBean<RequestIds> requestIdFilter() {
        var registration = new FilterRegistrationBean<>(new RequestIds());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR, DispatcherType.ASYNC);
        return registration;
    }

    /** Outside the outage net, so the 503s it answers are counted too. */
    @Bean
    FilterRegistrationBean<RequestMetrics> requestMetricsFilter(MeterRegistry meters) {
        var registration = new FilterRegistrationBean<>(new RequestMetrics(meters));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }

    @Bean
    DatabaseOutageFilter databaseOutageFilter(ObjectProvider<UnavailableAnswer> answers, ObjectMapper json,
                                              ITemplateEngine templates, DatabaseSettings settings) {
        return new DatabaseOutageFilter(answers.orderedStream().toList(), json, templates, settings.retryAfterSeconds());
    }

    @Bean
    FilterRegistrationBean<DatabaseOutageFilter> databaseOutageFilterRegistration(DatabaseOutageFilter filter) {
        var registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR, DispatcherType.ASYNC);
        return registration;
    }
}
