package dev.roster.scim.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.scim.protocol.ScimError;

/**
 * What {@link ScimResourceDispatch} does in DispatcherServlet's place: the handler a route names with the caller and
 * id, the media type check of {@link JsonBody} handlers, a failure handed to the exception resolvers with that handler
 * (so {@link ScimExceptionHandler} answers it, as the HTTP tests show), one no resolver answers to the container, and
 * everything without a route left to Spring MVC.
 */
class ScimResourceDispatchTest {

    private final ScimResourcesController controller = mock(ScimResourcesController.class);
    private final ScimDirectoryService.Caller caller = new ScimDirectoryService.Caller(null, null, null);
    private final List<String> resolved = new ArrayList<>();
    private final List<Exception> failures = new ArrayList<>();

    @AfterEach
    void clearContext() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aRouteCallsItsHandlerWithTheCallerAndTheIdAndGoesNoFurther() throws Exception {
        authenticated();
        MockHttpServletRequest request = json("PATCH", "/scim/v2/Users/42");
        MockFilterChain next = new MockFilterChain();
        dispatch(answering(ex -> new ModelAndView())).doFilter(request, new MockHttpServletResponse(), next);
        verify(controller).patchUser(eq(caller), eq("42"), any(), any());
        assertThat(next.getRequest()).isNull();
        assertThat(resolved).isEmpty();
    }

    @Test
    void whatHasNoRouteOrNoDirectoryGoesOnToSpringMvc() throws Exception {
        for (MockHttpServletRequest request : List.of(new MockHttpServletRequest("GET", "/scim/v2/Schemas"),
                new MockHttpServletRequest("HEAD", "/scim/v2/Users"), new MockHttpServletRequest("GET", "/scim/v2"),
                multipart())) {
            authenticated();
            MockFilterChain next = new MockFilterChain();
            dispatch(answering(ex -> new ModelAndView())).doFilter(request, new MockHttpServletResponse(), next);
            assertThat(next.getRequest()).as(request.getMethod() + " " + request.getRequestURI()).isNotNull();
        }
        SecurityContextHolder.clearContext();
        MockFilterChain next = new MockFilterChain();
        dispatch(answering(ex -> new ModelAndView())).doFilter(new MockHttpServletRequest("GET", "/scim/v2/Users"),
                new MockHttpServletResponse(), next);
        assertThat(next.getRequest()).as("no directory's authentication").isNotNull();
        verifyNoInteractions(controller);
    }

    @Test
    void aFailureIsAnsweredByTheResolversWithTheHandlerThatFailed() throws Exception {
        authenticated();
        ScimError conflict = new ScimError(409, ScimError.UNIQUENESS, "taken");
        doThrow(conflict).when(controller).createUser(any(), any(), any());
        MockHttpServletRequest request = json("POST", "/scim/v2/Users");
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.getWriter().write("partial");
        dispatch(answering(ex -> null), answering(ex -> new ModelAndView())).doFilter(request, response,
                new MockFilterChain());
        assertThat(resolved).containsExactly("createUser " + conflict, "createUser " + conflict);
        assertThat(response.getContentAsString()).as("the body written so far is dropped").isEmpty();
        assertThat(request.getAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE)).isSameAs(conflict);
    }

    @Test
    void aBodyThatIsNotJsonIs415BeforeTheHandlerRuns() throws Exception {
        authenticated();
        MockHttpServletRequest request = new MockHttpServletRequest("PUT", "/scim/v2/Groups/7");
        request.setContentType("text/plain");
        dispatch(answering(ex -> new ModelAndView())).doFilter(request, new MockHttpServletResponse(),
                new MockFilterChain());
        assertThat(resolved).singleElement().asString().startsWith("replaceGroup ");
        assertThat(failures).singleElement().isInstanceOfSatisfying(ScimError.class,
                ex -> assertThat(ex.status()).isEqualTo(415));
        verifyNoInteractions(controller);
        // A handler without a body takes any media type.
        MockHttpServletRequest delete = new MockHttpServletRequest("DELETE", "/scim/v2/Groups/7");
        delete.setContentType("text/plain");
        dispatch(answering(ex -> new ModelAndView())).doFilter(delete, new MockHttpServletResponse(),
                new MockFilterChain());
        verify(controller).deleteGroup(eq(caller), eq("7"), any(HttpServletRequest.class),
                any(HttpServletResponse.class));
    }

    @Test
    void aFailureNoResolverAnswersGoesToTheContainerAsFromTheDispatcher() throws Exception {
        authenticated();
        IllegalStateException bug = new IllegalStateException("bug");
        doThrow(bug).when(controller).listGroups(any(), any(), any());
        assertThatThrownBy(() -> dispatch(answering(ex -> null)).doFilter(
                new MockHttpServletRequest("GET", "/scim/v2/Groups"), new MockHttpServletResponse(),
                new MockFilterChain())).isInstanceOf(ServletException.class).hasCause(bug);
        StackOverflowError error = new StackOverflowError();
        doThrow(error).when(controller).getUser(any(), any(), any(), any());
        assertThatThrownBy(() -> dispatch(answering(ex -> null)).doFilter(
                new MockHttpServletRequest("GET", "/scim/v2/Users/1"), new MockHttpServletResponse(),
                new MockFilterChain())).isInstanceOf(ServletException.class)
                .hasMessageStartingWith("Handler dispatch failed").hasCause(error);
    }

    private void authenticated() {
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(caller, null));
    }

    private static MockHttpServletRequest json(String method, String uri) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        request.setContentType("application/scim+json");
        return request;
    }

    private static MockHttpServletRequest multipart() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/scim/v2/Users");
        request.setContentType("multipart/form-data; boundary=x");
        return request;
    }

    /** A resolver that notes the handler and exception it was given and answers what {@code answer} says. */
    private HandlerExceptionResolver answering(Function<Exception, ModelAndView> answer) {
        return (request, response, handler, ex) -> {
            resolved.add(((HandlerMethod) handler).getMethod().getName() + " " + ex);
            failures.add(ex);
            return answer.apply(ex);
        };
    }

    private ScimResourceDispatch dispatch(HandlerExceptionResolver... resolvers) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("controller", controller);
        for (int i = 0; i < resolvers.length; i++) {
            beans.addBean("resolver" + i, resolvers[i]);
        }
        ObjectProvider<ScimResourcesController> controllers = beans.getBeanProvider(ScimResourcesController.class);
        ObjectProvider<HandlerExceptionResolver> all = beans.getBeanProvider(HandlerExceptionResolver.class);
        return new ScimResourceDispatch(controllers, all);
    }
}
