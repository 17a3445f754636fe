package dev.roster.scim.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

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

    // --- Users and Groups: each mapping names its path (so metrics and logs keep it), one handler serves both

    @GetMapping("/Users")
    ResponseEntity<byte[]> listUsers(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                     @RequestParam Map<String, String> query) {
        return list(userType, caller.directory(), ListParams.fromQuery(query));
    }

    @GetMapping("/Groups")
    ResponseEntity<byte[]> listGroups(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                      @RequestParam Map<String, String> query) {
        return list(groupType, caller.directory(), ListParams.fromQuery(query));
    }

    @PostMapping("/Users/.search")
    ResponseEntity<byte[]> searchUsers(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                       @RequestBody(required = false) byte[] body) {
        return list(userType, caller.directory(), ListParams.fromSearch(ScimJson.parseObject(body)));
    }

    @PostMapping("/Groups/.search")
    ResponseEntity<byte[]> searchGroups(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                        @RequestBody(required = false) byte[] body) {
        return list(groupType, caller.directory(), ListParams.fromSearch(ScimJson.parseObject(body)));
    }

    @PostMapping("/Users")
    ResponseEntity<byte[]> createUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                      @RequestParam Map<String, String> query,
                                      @RequestBody(required = false) byte[] body) {
        return create(userType, caller.directory(), query, body);
    }

    @PostMapping("/Groups")
    ResponseEntity<byte[]> createGroup(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                       @RequestParam Map<String, String> query,
                                       @RequestBody(required = false) byte[] body) {
        return create(groupType, caller.directory(), query, body);
    }

    @GetMapping("/Users/{id}")
    ResponseEntity<byte[]> getUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller, @PathVariable String id,
                                   @RequestParam Map<String, String> query,
                                   @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return get(userType, caller.directory(), id, query, ifNoneMatch);
    }

    @GetMapping("/Groups/{id}")
    ResponseEntity<byte[]> getGroup(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                    @PathVariable String id, @RequestParam Map<String, String> query,
                                    @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return get(groupType, caller.directory(), id, query, ifNoneMatch);
    }

    @PutMapping("/Users/{id}")
    ResponseEntity<byte[]> replaceUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                       @PathVariable String id, @RequestParam Map<String, String> query,
                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                       @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                                       @RequestBody(required = false) byte[] body) {
        return replace(userType, caller.directory(), id, query, new Preconditions(ifMatch, ifNoneMatch), body);
    }

    @PutMapping("/Groups/{id}")
    ResponseEntity<byte[]> replaceGroup(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                        @PathVariable String id, @RequestParam Map<String, String> query,
                                        @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                        @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                                        @RequestBody(required = false) byte[] body) {
        return replace(groupType, caller.directory(), id, query, new Preconditions(ifMatch, ifNoneMatch), body);
    }

    @PatchMapping("/Users/{id}")
    ResponseEntity<byte[]> patchUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                     @PathVariable String id, @RequestParam Map<String, String> query,
                                     @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                     @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                                     @RequestBody(required = false) byte[] body) {
        var user = users.patch(caller.directory(), id, ScimJson.parseObject(body),
                new Preconditions(ifMatch, ifNoneMatch), renderer.usersUrl());
        return answer(userType, HttpStatus.OK, user, ListParams.attributesOnly(query));
    }

    /**
     * 204 unless the client asks for attributes back (RFC 7644 section 3.5.2): a group's answer would otherwise carry
     * every member, which for a large group is the expensive part of the request.
     */
    @PatchMapping("/Groups/{id}")
    ResponseEntity<byte[]> patchGroup(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                      @PathVariable String id, @RequestParam Map<String, String> query,
                                      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                      @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                                      @RequestBody(required = false) byte[] body) {
        ListParams params = ListParams.attributesOnly(query);
        var group = groups.patch(caller.directory(), id, ScimJson.parseObject(body),
                new Preconditions(ifMatch, ifNoneMatch));
        if (!params.selectsAttributes()) {
            return ScimResponses.changed(renderer.groupLocation(group.group().id()), ETags.of(group.group().version()));
        }
        var withMembers = groups.get(caller.directory(), id, params.returns("members"));
        return answer(groupType, HttpStatus.OK, withMembers, params);
    }

    @DeleteMapping("/Users/{id}")
    ResponseEntity<byte[]> deleteUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                      @PathVariable String id,
                                      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        users.delete(caller.directory(), id, new Preconditions(ifMatch, null));
        return ScimResponses.noContent();
    }

    @DeleteMapping("/Groups/{id}")
    ResponseEntity<byte[]> deleteGroup(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                       @PathVariable String id,
                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        groups.delete(caller.directory(), id, new Preconditions(ifMatch, null));
        return ScimResponses.noContent();
    }

    private <V> ResponseEntity<byte[]> list(ResourceType<V> type, ScimDirectory directory, ListParams params) {
        return ScimResponses.ok(page(type, directory, params));
    }

    private <V> ResponseEntity<byte[]> create(ResourceType<V> type, ScimDirectory directory, Map<String, String> query,
                                              byte[] body) {
        V created = type.create(directory, ScimJson.parseObject(body));
        return answer(type, HttpStatus.CREATED, created, ListParams.attributesOnly(query));
    }

    private <V> ResponseEntity<byte[]> get(ResourceType<V> type, ScimDirectory directory, String id,
                                           Map<String, String> query, String ifNoneMatch) {
        ListParams params = ListParams.attributesOnly(query);
        V view = type.get(directory, id, params);
        if (ifNoneMatch != null && ETags.matches(ifNoneMatch, type.version(view))) {
            return notModified(type.version(view));
        }
        return answer(type, HttpStatus.OK, view, params);
    }

    private <V> ResponseEntity<byte[]> replace(ResourceType<V> type, ScimDirectory directory, String id,
                                               Map<String, String> query, Preconditions conditions, byte[] body) {
        ListParams params = ListParams.attributesOnly(query);
        V replaced = type.replace(directory, id, ScimJson.parseObject(body), conditions);
        return answer(type, HttpStatus.OK, replaced, params);
    }

    private <V> ObjectNode page(ResourceType<V> type, ScimDirectory directory, ListParams params) {
        ResourceType.Page<V> page = type.search(directory, params.query(type.kind()), params);
        return renderer.list(page.items().stream().map(v -> type.render(v, params)).toList(), page.total(),
                params.startIndex());
    }

    private <V> ResponseEntity<byte[]> answer(ResourceType<V> type, HttpStatus status, V view, ListParams params) {
        return ScimResponses.resource(status, type.render(view, params), type.location(view),
                ETags.of(type.version(view)));
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
    ResponseEntity<byte[]> searchAll(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                     @RequestBody(required = false) byte[] body) {
        ListParams params = ListParams.fromSearch(ScimJson.parseObject(body));
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
        return ScimResponses.ok(renderer.list(resources, userTotal + groupTotal, params.startIndex()));
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

    private static ResponseEntity<byte[]> notModified(long version) {
        return ResponseEntity.status(HttpStatus.NOT_MODIFIED).header(HttpHeaders.ETAG, ETags.of(version)).build();
    }
}
