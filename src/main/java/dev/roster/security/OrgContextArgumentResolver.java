package dev.roster.security;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

import dev.roster.shared.OrgContext;

/** Hands controllers the {@link OrgContext} that {@link OrgAccessInterceptor} resolved for this request. */
class OrgContextArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return OrgContext.class.equals(parameter.getParameterType());
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                  WebDataBinderFactory binderFactory) {
        Object context = request.getAttribute(OrgAccessInterceptor.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (context == null) {
            throw new IllegalStateException("OrgContext is only available on paths with an organization {slug}");
        }
        return context;
    }
}
