package dev.roster.scim.security;

import java.util.EnumSet;

import jakarta.servlet.DispatcherType;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Every answer under {@code /scim/v2} is SCIM JSON, including those Spring Security's firewall and Tomcat produce
 * themselves: the error dispatch of SCIM requests is answered by {@link ScimErrorPageFilter}, and what Tomcat refuses
 * before the application sees it by {@link ScimErrorReportValve}.
 */
@Configuration(proxyBeanMethods = false)
class ScimContainerErrorConfiguration {

    @Bean
    FilterRegistrationBean<ScimErrorPageFilter> scimErrorPage() {
        var registration = new FilterRegistrationBean<>(new ScimErrorPageFilter());
        registration.setName("scimErrorPage");
        registration.setDispatcherTypes(EnumSet.of(DispatcherType.ERROR));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    /**
     * Runs after Spring Boot's own customizer, which adds an {@link ErrorReportValve} to the host; that valve is
     * replaced by one that answers SCIM requests in SCIM JSON and everything else as before.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> scimErrorReport() {
        return new ErrorReportCustomizer();
    }

    private static final class ErrorReportCustomizer
            implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                Container host = context.getParent();
                ScimErrorReportValve scim = new ScimErrorReportValve();
                scim.setShowReport(false);
                scim.setShowServerInfo(false);
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve existing) {
                        scim.setShowReport(existing.isShowReport());
                        scim.setShowServerInfo(existing.isShowServerInfo());
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(scim);
                if (host instanceof StandardHost standard) {
                    // Otherwise the host adds a plain ErrorReportValve of its own when it starts, not finding one.
                    standard.setErrorReportValveClass(ScimErrorReportValve.class.getName());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
