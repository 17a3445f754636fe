package dev.roster.scim.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.roster.scim.directory.ScimDirectory;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.scim.requestlog.RequestLogEntry;
import dev.roster.scim.requestlog.RequestLogService;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.web.PageLinks;

/**
 * A directory's request log, the first thing to open when provisioning fails: failing requests first (or newest
 * first), filtered by status, method or failures only, each with its request and Roster's answer, secrets removed.
 */
@Controller
@RequestMapping("/orgs/{slug}/manage/provisioning/directories/{id}/requests")
class ScimRequestLogPageController {

    static final int PAGE_SIZE = 25;
    static final String NEWEST = "newest";

    private final ScimDirectoryService directories;
    private final RequestLogService requestLog;
    private final ObjectMapper json;

    ScimRequestLogPageController(ScimDirectoryService directories, RequestLogService requestLog, ObjectMapper json) {
        this.directories = directories;
        this.requestLog = requestLog;
        this.json = json;
    }

    /** One request as the log shows it; {@code detail} is the SCIM error's own explanation, when it has one. */
    record Row(UUID id, Instant when, String method, String path, int status, boolean failed, int durationMs,
               String detail, String request, String response, String requestId) {
    }

    @GetMapping
    String log(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String status,
               @RequestParam(defaultValue = "") String method, @RequestParam(defaultValue = "false") boolean failedOnly,
               @RequestParam(defaultValue = "") String order, @RequestParam(required = false) Integer page,
               Model model, HttpServletRequest request, HttpServletResponse response) {
        ScimDirectory directory = directories.get(org.organizationId(),
                Ids.parse(id).orElseThrow(() -> new NotFoundException("SCIM directory not found.")));
        model.addAttribute("org", org);
        model.addAttribute("directory", directory);
        model.addAttribute("kindLabel", ProvisioningLabels.kind(directory.kind()));
        model.addAttribute("status", status.trim());
        model.addAttribute("method", method.trim().toUpperCase(Locale.ROOT));
        model.addAttribute("failedOnly", failedOnly);
        model.addAttribute("order", NEWEST.equals(order) ? NEWEST : "failures");
        model.addAttribute("filtered", !status.isBlank() || !method.isBlank() || failedOnly);
        try {
            Integer wantedStatus = status.isBlank() ? null : parseStatus(status.trim());
            PageResult<RequestLogEntry> result = requestLog.find(org.organizationId(), directory.id(),
                    new RequestLogService.Filter(wantedStatus, method, failedOnly, !NEWEST.equals(order)),
                    new PageQuery(page == null ? 0 : Math.max(page, 0), PAGE_SIZE));
            model.addAttribute("rows", result.items().stream().map(this::row).toList());
            model.addAttribute("links", PageLinks.of(result, request));
            model.addAttribute("fieldErrors", Map.of());
        }
        catch (InvalidRequestException ex) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("rows", List.of());
            model.addAttribute("links", null);
            model.addAttribute("fieldErrors", ex.fieldErrors());
        }
        return "scim/requests";
    }

    private Row row(RequestLogEntry entry) {
        String path = entry.path() + (entry.query() == null || entry.query().isBlank() ? "" : "?" + readable(entry.query()));
        return new Row(entry.id(), entry.occurredAt(), entry.method(), path, entry.status(),
                entry.failed(), entry.durationMs(), entry.failed() ? detail(entry.responseBody()) : entry.note(),
                pretty(entry.requestBody()), pretty(entry.responseBody()), entry.requestId());
    }

    /** A query as people read it: filters with their spaces and quotes rather than percent signs. */
    private static String readable(String query) {
        try {
            return URLDecoder.decode(query, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException ex) {
            return query;
        }
    }

    private static Integer parseStatus(String status) {
        try {
            int value = Integer.parseInt(status);
            if (value >= 100 && value <= 599) {
                return value;
            }
        }
        catch (NumberFormatException ex) {
            // Falls through to the message below.
        }
        throw InvalidRequestException.field("status", "Give an HTTP status such as 400 or 409.");
    }

    private String detail(String body) {
        JsonNode node = parse(body);
        return node == null || !node.path("detail").isTextual() ? null : node.path("detail").asText();
    }

    /** Bodies are shown indented when they are JSON, and as stored otherwise. */
    private String pretty(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode node = parse(body);
        if (node == null) {
            return body;
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        }
        catch (JsonProcessingException ex) {
            return body;
        }
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        }
        catch (JsonProcessingException ex) {
            return null;
        }
    }
}
