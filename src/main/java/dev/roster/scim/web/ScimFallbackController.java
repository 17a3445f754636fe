package dev.roster.scim.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Anything under the SCIM base that no endpoint serves: answered in the SCIM error schema rather than with the
 * application's HTML or problem pages, which an IdP cannot read.
 */
@Controller
class ScimFallbackController implements ScimEndpoint {

    @RequestMapping({ScimRenderer.BASE_PATH, ScimRenderer.BASE_PATH + "/**"})
    ResponseEntity<byte[]> unknown(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String detail = path.length() > 200 ? "No SCIM endpoint here." : "No SCIM endpoint " + request.getMethod()
                + " " + path + ".";
        return ScimResponses.error(404, null, detail);
    }
}
