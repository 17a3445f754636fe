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

    ScimResourcesController(ScimUserService users, ScimGroupService groups, ScimRenderer renderer) {
        this.users = users;
        this.groups = groups;
        this.renderer = renderer;
    }

    // --- Users

    @GetMapping("/Users")
    ResponseEntity<byte[]> listUsers(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                     @RequestParam Map<String, String> query) {
        return ScimResponses.ok(searchUsers(caller.directory(), ListParams.fromQuery(query)));
    }

    @PostMapping("/Users/.search")
    ResponseEntity<byte[]> searchUsers(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                       @RequestBody(required = false) byte[] body) {
        return ScimResponses.ok(searchUsers(caller.directory(), ListParams.fromSearch(ScimJson.parseObject(body))));
    }

    @PostMapping("/Users")
    ResponseEntity<byte[]> createUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                      @RequestParam Map<String, String> query,
                                      @RequestBody(required = false) byte[] body) {
        var created = users.create(caller.directory(), ScimJson.parseObject(body), renderer.usersUrl());
        return user(HttpStatus.CREATED, created, ListParams.attributesOnly(query));
    }

    @GetMapping("/Users/{id}")
    ResponseEntity<byte[]> getUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller, @PathVariable String id,
                                   @RequestParam Map<String, String> query,
                                   @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        var user = users.get(caller.directory(), id);
        if (ifNoneMatch != null && ETags.matches(ifNoneMatch, user.user().version())) {
            return notModified(user.user().version());
        }
        return user(HttpStatus.OK, user, ListParams.attributesOnly(query));
    }

    @PutMapping("/Users/{id}")
    ResponseEntity<byte[]> replaceUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                       @PathVariable String id, @RequestParam Map<String, String> query,
                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                       @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                                       @RequestBody(required = false) byte[] body) {
        var user = users.replace(caller.directory(), id, ScimJson.parseObject(body),
                new Preconditions(ifMatch, ifNoneMatch), renderer.usersUrl());
        return user(HttpStatus.OK, user, ListParams.attributesOnly(query));
    }

    @PatchMapping("/Users/{id}")
    ResponseEntity<byte[]> patchUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                     @PathVariable String id, @RequestParam Map<String, String> query,
                                     @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                     @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                                     @RequestBody(required = false) byte[] body) {
        var user = users.patch(caller.directory(), id, ScimJson.parseObject(body),
                new Preconditions(ifMatch, ifNoneMatch), renderer.usersUrl());
        return user(HttpStatus.OK, user, ListParams.attributesOnly(query));
    }

    @DeleteMapping("/Users/{id}")
    ResponseEntity<byte[]> deleteUser(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                      @PathVariable String id,
                                      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        users.delete(caller.directory(), id, new Preconditions(ifMatch, null));
        return ScimResponses.noContent();
    }

    // --- Groups

    @GetMapping("/Groups")
    ResponseEntity<byte[]> listGroups(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                      @RequestParam Map<String, String> query) {
        return ScimResponses.ok(searchGroups(caller.directory(), ListParams.fromQuery(query)));
    }

    @PostMapping("/Groups/.search")
    ResponseEntity<byte[]> searchGroups(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                        @RequestBody(required = false) byte[] body) {
        return ScimResponses.ok(searchGroups(caller.directory(), ListParams.fromSearch(ScimJson.parseObject(body))));
    }

    @PostMapping("/Groups")
    ResponseEntity<byte[]> createGroup(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                       @RequestParam Map<String, String> query,
                                       @RequestBody(required = false) byte[] body) {
        var created = groups.create(caller.directory(), ScimJson.parseObject(body));
        return group(HttpStatus.CREATED, created, ListParams.attributesOnly(query));
    }

    @GetMapping("/Groups/{id}")
    ResponseEntity<byte[]> getGroup(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                    @PathVariable String id, @RequestParam Map<String, String> query,
                                    @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        ListParams params = ListParams.attributesOnly(query);
        var group = groups.get(caller.directory(), id, params.returns("members"));
        if (ifNoneMatch != null && ETags.matches(ifNoneMatch, group.group().version())) {
            return notModified(group.group().version());
        }
        return group(HttpStatus.OK, group, params);
    }

    @PutMapping("/Groups/{id}")
    ResponseEntity<byte[]> replaceGroup(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                        @PathVariable String id, @RequestParam Map<String, String> query,
                                        @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                        @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                                        @RequestBody(required = false) byte[] body) {
        ListParams params = ListParams.attributesOnly(query);
        var group = groups.replace(caller.directory(), id, ScimJson.parseObject(body),
                new Preconditions(ifMatch, ifNoneMatch));
        return group(HttpStatus.OK, group, params);
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
        return group(HttpStatus.OK, withMembers, params);
    }

    @DeleteMapping("/Groups/{id}")
    ResponseEntity<byte[]> deleteGroup(@AuthenticationPrincipal ScimDirectoryService.Caller caller,
                                       @PathVariable String id,
                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        groups.delete(caller.directory(), id, new Preconditions(ifMatch, null));
        return ScimResponses.noContent();
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

    private ObjectNode searchUsers(ScimDirectory directory, ListParams params) {
        var page = users.search(directory, params.query(FilterSql.Kind.USER));
        return renderer.list(page.users().stream().map(u -> renderer.user(u, params)).toList(), page.total(),
                params.startIndex());
    }

    private ObjectNode searchGroups(ScimDirectory directory, ListParams params) {
        var page = groups.search(directory, params.query(FilterSql.Kind.GROUP), params.returns("members"));
        return renderer.list(page.groups().stream().map(g -> renderer.group(g, params)).toList(), page.total(),
                params.startIndex());
    }

    private ResponseEntity<byte[]> user(HttpStatus status, ScimUserService.UserView view, ListParams params) {
        return ScimResponses.resource(status, renderer.user(view, params), renderer.userLocation(view.user().id()),
                ETags.of(view.user().version()));
    }

    private ResponseEntity<byte[]> group(HttpStatus status, ScimGroupService.GroupView view, ListParams params) {
        return ScimResponses.resource(status, renderer.group(view, params), renderer.groupLocation(view.group().id()),
                ETags.of(view.group().version()));
    }

    private static ResponseEntity<byte[]> notModified(long version) {
        return ResponseEntity.status(HttpStatus.NOT_MODIFIED).header(HttpHeaders.ETAG, ETags.of(version)).build();
    }
}
