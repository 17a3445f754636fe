package dev.roster.scim.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;

import dev.roster.scim.directory.ScimDirectory;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.scim.protocol.ETags;
import dev.roster.scim.protocol.FilterSql;
import dev.roster.scim.protocol.ScimError;
import dev.roster.scim.protocol.ScimJson;
import dev.roster.scim.provisioning.ListQuery;
import dev.roster.scim.provisioning.Preconditions;
import dev.roster.scim.provisioning.ScimGroupService;
import dev.roster.scim.provisioning.ScimUserService;
import dev.roster.shared.web.RequestSizeLimitFilter;

/**
 * /Users, /Groups and the searches of RFC 7644. The directory, and so the organization, comes from the bearer token
 * alone; nothing in the path, query or body can name another. Request bodies are read as bytes and parsed here, so
 * {@code application/scim+json}, {@code application/json} and any charset parameter are all accepted.
 */
@Controller
@RequestMapping(ScimRenderer.BASE_PATH)
class ScimResourcesController implements ScimEndpoint {

    private final ScimUserService users;
    private final ScimGroupService groups;
    private final ScimRenderer renderer;
    private final ResourceType<ScimUserService.UserView> userType;
    private final ResourceType<ScimGroupService.GroupView> groupType;

    ScimResourcesController(ScimUserService users, ScimGroupService groups, ScimRenderer renderer) {
        this.users = users;
        this.groups = groups;
        this.renderer = renderer;
        this.userType = new UserType();
        this.groupType = new GroupType();
    }

    // --- Users and Groups: each mapping names its path (so metrics and logs keep it), one handler serves both.
    // Handlers take the servlet request and response and write the answer themselves: Spring MVC's argument
    // resolvers, return value handlers and message converters cost several per cent of a SCIM request's CPU and did
    // nothing here (the body is read as bytes, the answer is bytes of a fixed content type; docs/benchmarks.md,
    // issue 15's fourth round). ScimResourceDispatch calls them directly for the requests whose mapping
    // ScimResourceRoute repeats, without the DispatcherServlet (the fifth round); Spring MVC still calls them for the
    // rest (HEAD, percent-encoded paths), so a handler's mapping and its route change together.

    @GetMapping("/Users")
    void listUsers(@AuthenticationPrincipal ScimDirectoryService.Caller caller, HttpServletRequest request,
                   HttpServletResponse response) throws IOException {
        list(userType, caller.directory(), ListParams.fromQuery(query(request)), response);
    }

    @GetMapping("/Groups")
    void listGroups(@AuthenticationPrincipal ScimDirectoryService.Caller caller, HttpServletRequest request,
                    HttpServletResponse response) throws IOException {
        list(groupType, caller.directory(), ListParams.fromQuery(query(request)), response);
    }

    @PostMapping("/Users/.search")
    @JsonBody
    void searchUsers(@AuthenticationPrincipal ScimDirectoryService.Caller caller, HttpServletRequest request,
                     HttpServletResponse response) throws IOException {
        list(userType, caller.directory(), ListParams.fromSearch(ScimJson.parseObject(body(request))), response);
    }

    @PostMapping("/Groups/.search")
    @JsonBody
    void searchGroups(@AuthenticationPrincipal ScimDirectoryService.Caller caller, HttpServletRequest request,
                      HttpServletResponse response) throws IOException {
        list(groupType, caller.directory(), ListParams.fromSearch(ScimJson.parseObject(body(request))), response);
    }

    @PostMapping("/Users")
    @JsonBody
    void createUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller, HttpServletRequest request,
                    HttpServletResponse response) throws IOException {
        create(userType, caller.directory(), request, response);
    }

    @PostMapping("/Groups")
    @JsonBody
    void createGroup(@AuthenticationPrincipal ScimDirectoryService.Caller caller, HttpServletRequest request,
                     HttpServletResponse response) throws IOException {
        create(groupType, caller.directory(), request, response);
    }

    @GetMapping("/Users/{id}")
    void getUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller, @PathVariable String id,
                 HttpServletRequest request, HttpServletResponse response) throws IOException {
        get(userType, caller.directory(), id, request, response);
    }

    @GetMapping("/Groups/{id}")
    void getGroup(@AuthenticationPrincipal ScimDirectoryService.Caller caller, @PathVariable String id,
                  HttpServletRequest request, HttpServletResponse response) throws IOException {
        get(groupType, caller.directory(), id, request, response);
    }

    @PutMapping("/Users/{id}")
    @JsonBody
    void replaceUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller, @PathVariable String id,
                     HttpServletRequest request, HttpServletResponse response) throws IOException {
        replace(userType, caller.directory(), id, request, response);
    }

    @PutMapping("/Groups/{id}")
    @JsonBody
    void replaceGroup(@AuthenticationPrincipal ScimDirectoryService.Caller caller, @PathVariable String id,
                      HttpServletRequest request, HttpServletResponse response) throws IOException {
        replace(groupType, caller.directory(), id, request, response);
    }

    @PatchMapping("/Users/{id}")
    @JsonBody
    void patchUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller, @PathVariable String id,
                   HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, String> query = query(request);
        var user = users.patch(caller.directory(), id, ScimJson.parseObject(body(request)), preconditions(request),
                renderer.usersUrl());
        answer(userType, HttpStatus.OK, user, ListParams.attributesOnly(query), response);
    }

    /**
     * 204 unless the client asks for attributes back (RFC 7644 section 3.5.2): a group's answer would otherwise carry
     * every member, which for a large group is the expensive part of the request.
     */
    @PatchMapping("/Groups/{id}")
    @JsonBody
    void patchGroup(@AuthenticationPrincipal ScimDirectoryService.Caller caller, @PathVariable String id,
                    HttpServletRequest request, HttpServletResponse response) throws IOException {
        ListParams params = ListParams.attributesOnly(query(request));
        var group = groups.patch(caller.directory(), id, ScimJson.parseObject(body(request)), preconditions(request));
        if (!params.selectsAttributes()) {
            ScimResponses.changed(response, renderer.groupLocation(group.group().id()),
                    ETags.of(group.group().version()));
            return;
        }
        var withMembers = groups.get(caller.directory(), id, params.returns("members"));
        answer(groupType, HttpStatus.OK, withMembers, params, response);
    }

    @DeleteMapping("/Users/{id}")
    void deleteUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller, @PathVariable String id,
                    HttpServletRequest request, HttpServletResponse response) {
        users.delete(caller.directory(), id, new Preconditions(request.getHeader(HttpHeaders.IF_MATCH), null));
        ScimResponses.noContent(response);
    }

    @DeleteMapping("/Groups/{id}")
    void deleteGroup(@AuthenticationPrincipal ScimDirectoryService.Caller caller, @PathVariable String id,
                     HttpServletRequest request, HttpServletResponse response) {
        groups.delete(caller.directory(), id, new Preconditions(request.getHeader(HttpHeaders.IF_MATCH), null));
        ScimResponses.noContent(response);
    }

    private <V> void list(ResourceType<V> type, ScimDirectory directory, ListParams params,
                          HttpServletResponse response) throws IOException {
        ScimResponses.write(response, HttpStatus.OK, page(type, directory, params));
    }

    private <V> void create(ResourceType<V> type, ScimDirectory directory, HttpServletRequest request,
                            HttpServletResponse response) throws IOException {
        Map<String, String> query = query(request);
        V created = type.create(directory, ScimJson.parseObject(body(request)));
        answer(type, HttpStatus.CREATED, created, ListParams.attributesOnly(query), response);
    }

    private <V> void get(ResourceType<V> type, ScimDirectory directory, String id, HttpServletRequest request,
                         HttpServletResponse response) throws IOException {
        ListParams params = ListParams.attributesOnly(query(request));
        V view = type.get(directory, id, params);
        String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && ETags.matches(ifNoneMatch, type.version(view))) {
            ScimResponses.notModified(response, ETags.of(type.version(view)));
            return;
        }
        answer(type, HttpStatus.OK, view, params, response);
    }

    private <V> void replace(ResourceType<V> type, ScimDirectory directory, String id, HttpServletRequest request,
                             HttpServletResponse response) throws IOException {
        ListParams params = ListParams.attributesOnly(query(request));
        V replaced = type.replace(directory, id, ScimJson.parseObject(body(request)), preconditions(request));
        answer(type, HttpStatus.OK, replaced, params, response);
    }

    private <V> ObjectNode page(ResourceType<V> type, ScimDirectory directory, ListParams params) {
        ResourceType.Page<V> page = type.search(directory, params.query(type.kind()), params);
        return renderer.list(page.items().stream().map(v -> type.render(v, params)).toList(), page.total(),
                params.startIndex());
    }

    private <V> void answer(ResourceType<V> type, HttpStatus status, V view, ListParams params,
                            HttpServletResponse response) throws IOException {
        ScimResponses.resource(response, status, type.render(view, params), type.location(view),
                ETags.of(type.version(view)));
    }

    /**
     * The query's parameters, the first value of each (as {@code @RequestParam Map} gave them). Read before the body,
     * in that order as before: a form-encoded POST's parameters come from its body.
     */
    private static Map<String, String> query(HttpServletRequest request) {
        Map<String, String[]> parameters = request.getParameterMap();
        if (parameters.isEmpty()) {
            return Map.of();
        }
        Map<String, String> query = new LinkedHashMap<>();
        parameters.forEach((name, values) -> query.put(name, values.length == 0 ? "" : values[0]));
        return query;
    }

    /**
     * The body's bytes, empty when there is none (which {@link ScimJson#parseObject} answers as invalidSyntax). A body
     * over the size limit stays {@link RequestSizeLimitFilter.BodyTooLargeException} (413); any other failure to read
     * it is the client's, as Spring's message converters answered it.
     */
    private static byte[] body(HttpServletRequest request) throws IOException {
        try {
            return request.getInputStream().readAllBytes();
        }
        catch (RequestSizeLimitFilter.BodyTooLargeException ex) {
            throw ex;
        }
        catch (IOException ex) {
            throw ScimError.badRequest(ScimError.INVALID_SYNTAX, "The request body could not be read.");
        }
    }

    private static Preconditions preconditions(HttpServletRequest request) {
        return new Preconditions(request.getHeader(HttpHeaders.IF_MATCH), request.getHeader(HttpHeaders.IF_NONE_MATCH));
    }

    /** What differs between Users and Groups, so that each handler above is written once for both. */
    private interface ResourceType<V> {

        record Page<V>(List<V> items, long total) {
        }

        FilterSql.Kind kind();

        Page<V> search(ScimDirectory directory, ListQuery query, ListParams params);

        V create(ScimDirectory directory, ObjectNode body);

        V get(ScimDirectory directory, String id, ListParams params);

        V replace(ScimDirectory directory, String id, ObjectNode body, Preconditions conditions);

        ObjectNode render(V view, ListParams params);

        String location(V view);

        long version(V view);
    }

    private final class UserType implements ResourceType<ScimUserService.UserView> {

        @Override
        public FilterSql.Kind kind() {
            return FilterSql.Kind.USER;
        }

        @Override
        public Page<ScimUserService.UserView> search(ScimDirectory directory, ListQuery query, ListParams params) {
            var page = users.search(directory, query);
            return new Page<>(page.users(), page.total());
        }

        @Override
        public ScimUserService.UserView create(ScimDirectory directory, ObjectNode body) {
            return users.create(directory, body, renderer.usersUrl());
        }

        @Override
        public ScimUserService.UserView get(ScimDirectory directory, String id, ListParams params) {
            return users.get(directory, id);
        }

        @Override
        public ScimUserService.UserView replace(ScimDirectory directory, String id, ObjectNode body,
                                                Preconditions conditions) {
            return users.replace(directory, id, body, conditions, renderer.usersUrl());
        }

        @Override
        public ObjectNode render(ScimUserService.UserView view, ListParams params) {
            return renderer.user(view, params);
        }

        @Override
        public String location(ScimUserService.UserView view) {
            return renderer.userLocation(view.user().id());
        }

        @Override
        public long version(ScimUserService.UserView view) {
            return view.user().version();
        }
    }

    /** Groups read their members only when the answer shows them (a large group's members are the costly part). */
    private final class GroupType implements ResourceType<ScimGroupService.GroupView> {

        @Override
        public FilterSql.Kind kind() {
            return FilterSql.Kind.GROUP;
        }

        @Override
        public Page<ScimGroupService.GroupView> search(ScimDirectory directory, ListQuery query, ListParams params) {
            var page = groups.search(directory, query, params.returns("members"));
            return new Page<>(page.groups(), page.total());
        }

        @Override
        public ScimGroupService.GroupView create(ScimDirectory directory, ObjectNode body) {
            return groups.create(directory, body);
        }

        @Override
        public ScimGroupService.GroupView get(ScimDirectory directory, String id, ListParams params) {
            return groups.get(directory, id, params.returns("members"));
        }

        @Override
        public ScimGroupService.GroupView replace(ScimDirectory directory, String id, ObjectNode body,
                                                  Preconditions conditions) {
            return groups.replace(directory, id, body, conditions);
        }

        @Override
        public ObjectNode render(ScimGroupService.GroupView view, ListParams params) {
            return renderer.group(view, params);
        }

        @Override
        public String location(ScimGroupService.GroupView view) {
            return renderer.groupLocation(view.group().id());
        }

        @Override
        public long version(ScimGroupService.GroupView view) {
            return view.group().version();
        }
    }

    // --- Searches across resource types

    /**
     * POST /.search over users then groups (RFC 7644 section 3.4.3). A filter on an attribute only one type has
     * selects nothing of the other.
     */
    @PostMapping("/.search")
    @JsonBody
    void searchAll(@AuthenticationPrincipal ScimDirectoryService.Caller caller, HttpServletRequest request,
                   HttpServletResponse response) throws IOException {
        ListParams params = ListParams.fromSearch(ScimJson.parseObject(body(request)));
        ScimDirectory directory = caller.directory();
        var userQuery = tolerant(() -> params.query(FilterSql.Kind.USER));
        var groupQuery = tolerant(() -> params.query(FilterSql.Kind.GROUP));
        if (userQuery == null && groupQuery == null) {
            params.query(FilterSql.Kind.USER);
        }
        long userTotal = userQuery == null ? 0 : users.search(directory, withCount(userQuery, 0)).total();
        long groupTotal = groupQuery == null ? 0 : groups.search(directory, withCount(groupQuery, 0), false).total();
        List<ObjectNode> resources = new ArrayList<>();
        int wanted = params.count();
        long offset = params.startIndex() - 1L;
        if (userQuery != null && offset < userTotal && wanted > 0) {
            var page = users.search(directory, userQuery);
            page.users().forEach(u -> resources.add(renderer.user(u, params)));
        }
        int remaining = wanted - resources.size();
        if (groupQuery != null && remaining > 0) {
            long groupOffset = Math.max(0, offset - userTotal);
            var query = new ListQuery(groupQuery.where(), groupQuery.sortColumn(),
                    groupQuery.descending(), (int) groupOffset + 1, remaining);
            groups.search(directory, query, params.returns("members")).groups()
                    .forEach(g -> resources.add(renderer.group(g, params)));
        }
        ScimResponses.write(response, HttpStatus.OK, renderer.list(resources, userTotal + groupTotal,
                params.startIndex()));
    }

    private static ListQuery withCount(ListQuery query,
                                                                    int count) {
        return new ListQuery(query.where(), query.sortColumn(), query.descending(),
                query.startIndex(), count);
    }

    private static <T> T tolerant(Supplier<T> query) {
        try {
            return query.get();
        }
        catch (ScimError ex) {
            if (ScimError.INVALID_FILTER.equals(ex.scimType()) || ScimError.INVALID_VALUE.equals(ex.scimType())) {
                return null;
            }
            throw ex;
        }
    }
}
