package dev.roster.security;

import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.PathParameter;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.roster.shared.OrgContext;

/**
 * The API documentation of organization endpoints: the {@link OrgContext} parameter is resolved by Roster, not sent
 * by clients, so it is left out; the {@code {slug}} it comes from is documented as the path parameter it is.
 */
@Configuration(proxyBeanMethods = false)
class OrgPathApiDocs {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(OrgContext.class);
    }

    @Bean
    OpenApiCustomizer organizationSlugParameter() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> {
                if (!path.contains("{slug}")) {
                    return;
                }
                item.readOperations().forEach(operation -> {
                    boolean documented = operation.getParameters() != null && operation.getParameters().stream()
                            .anyMatch(p -> "slug".equals(p.getName()) && "path".equals(p.getIn()));
                    if (!documented) {
                        operation.addParametersItem(new PathParameter().name("slug").required(true)
                                .description("The organization's slug").schema(new StringSchema()));
                    }
                });
            });
        };
    }
}
