package dev.roster.scim.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import dev.roster.scim.directory.ScimDirectoryService;

/** A database outage while the token is checked is 503 with Retry-After, not a 401 that makes an IdP give up. */
class ScimTokenFilterTest {

    @Test
    void tokenCheckDuringAnOutageIs503() throws Exception {
        ScimDirectoryService directories = mock(ScimDirectoryService.class);
        when(directories.authenticate(anyString(), isNull())).thenThrow(new CannotGetJdbcConnectionException("down"));
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/scim/v2/Users");
        request.addHeader("Authorization", "Bearer scim_anything");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        new ScimTokenFilter(directories, 5, null).doFilter(request, response, chain);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getContentAsString()).contains("\"status\":\"503\"");
        assertThat(chain.getRequest()).isNull();
    }
}
