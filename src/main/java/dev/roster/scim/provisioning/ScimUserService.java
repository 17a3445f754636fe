package dev.roster.scim.provisioning;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.scim.directory.ScimDirectory;
import dev.roster.scim.protocol.ResourceShape;
import dev.roster.scim.protocol.ScimError;
import dev.roster.scim.protocol.ScimJson;
import dev.roster.scim.protocol.ScimSchemas;
import dev.roster.scim.protocol.UserPatch;
import dev.roster.shared.Ids;

/**
 * The /Users endpoint's operations, each write one transaction: the stored SCIM user, and through
 * {@link UserLifecycle} the account and membership it stands for. Every look-up is scoped to the caller's
 * organization and directory. Reads run without a transaction of their own: at READ COMMITTED each statement sees
 * its own snapshot either way, and a transaction would only add a BEGIN and a COMMIT to the look-up Entra makes
 * before every create.
 */
@Service
@Transactional
public class ScimUserService {

    private final ScimUserRepository users;
    private final UserLifecycle lifecycle;
    private final PageContinuations continuations;
    private final DirectoryEvents events;
    private final Clock clock;

    ScimUserService(ScimUserRepository users, UserLifecycle lifecycle, PageContinuations continuations,
                    DirectoryEvents events, Clock clock) {
        this.events = events;
        this.users = users;
        this.lifecycle = lifecycle;
        this.continuations = continuations;
        this.clock = clock;
    }

    /** A user with the groups it belongs to, as the read-only {@code groups} attribute shows them. */
    public record UserView(StoredUser user, List<Ref> groups) {
    }

    public record Ref(UUID id, String display) {
    }

    public record Page(List<UserView> users, long total) {
    }

    public UserView create(ScimDirectory directory, ObjectNode body, String usersBaseUrl) {
        ObjectNode resource = shape(body, usersBaseUrl);
        String userName = userName(resource);
        continuations.changed(directory.id());
        Instant now = clock.instant();
        StoredUser user = new StoredUser(Ids.newId(), directory.organizationId(), directory.id(), userName,
                text(resource, "externalId"), text(resource, "displayName"), active(resource), null, null,
                resource, 1, now, now, null, null);
        // The unique key on (directory, normalized userName) is the check: no look-up before the insert, which is
        // the transaction's first write.
        StoredUser linked = lifecycle.create(directory, user);
        events.userProvisioned(directory, linked, "created");
        // A user that did not exist a moment ago is in no group yet.
        return new UserView(linked, List.of());
    }

    @Transactional(propagation = Propagation.SUPPORTS)
    public UserView get(ScimDirectory directory, String id) {
        return view(directory, find(directory, id));
    }

    public UserView replace(ScimDirectory directory, String id, ObjectNode body, Preconditions conditions,
                            String usersBaseUrl) {
        StoredUser current = lock(directory, id);
        conditions.check(current.version());
        continuations.changed(directory.id());
        ObjectNode resource = shape(body, usersBaseUrl);
        return store(directory, current, resource);
    }

    public UserView patch(ScimDirectory directory, String id, ObjectNode body, Preconditions conditions,
                          String usersBaseUrl) {
        StoredUser current = lock(directory, id);
        conditions.check(current.version());
        continuations.changed(directory.id());
        ObjectNode patched = UserPatch.apply(current.resource(), body, current.id().toString());
        ObjectNode resource = shape(patched, usersBaseUrl);
        return store(directory, current, resource);
    }

    public void delete(ScimDirectory directory, String id, Preconditions conditions) {
        StoredUser current = lock(directory, id);
        conditions.check(current.version());
        continuations.changed(directory.id());
        lifecycle.delete(directory, current);
        Optional<String> claimed = users.claimedEmail(current.id());
        // Deleting the user deletes its claim on its address (a foreign key), so the next user with it can be linked.
        users.delete(directory.organizationId(), directory.id(), current.id());
        lifecycle.resyncAfterDelete(directory, current);
        events.userDeprovisioned(directory, current, "deleted");
        claimed.ifPresent(email -> lifecycle.promoteNext(directory, email));
    }

    @Transactional(propagation = Propagation.SUPPORTS)
    public Page search(ScimDirectory directory, ListQuery query) {
        long generation = continuations.generation(directory.id());
        boolean continues = PageContinuations.continues(query) && query.count() > 0;
        Optional<PageContinuations.After> after = continues
                ? continuations.find(PageContinuations.key(directory.id(), query, query.startIndex()))
                : Optional.empty();
        List<StoredUser> found = query.count() == 0 ? List.of()
                : after.map(a -> users.searchAfter(directory.organizationId(), directory.id(), query, a))
                        .orElseGet(() -> users.search(directory.organizationId(), directory.id(), query));
        Long implied = query.totalFrom(found.size());
        long total = implied != null ? implied
                : after.filter(a -> a.generation() == generation).map(PageContinuations.After::total)
                        .orElseGet(() -> users.count(directory.organizationId(), directory.id(), query));
        if (continues && found.size() == query.count()) {
            StoredUser last = found.get(found.size() - 1);
            continuations.remember(PageContinuations.key(directory.id(), query, query.startIndex() + found.size()),
                    new PageContinuations.After(last.createdAt(), last.id(), total, generation));
        }
        Map<UUID, List<ScimUserRepository.GroupRef>> groups = users.groups(directory.organizationId(), directory.id(),
                found.stream().map(StoredUser::id).toList());
        return new Page(found.stream().map(u -> new UserView(u, refs(groups.get(u.id())))).toList(), total);
    }

    private UserView store(ScimDirectory directory, StoredUser current, ObjectNode resource) {
        String userName = userName(resource);
        users.idByUserName(directory.organizationId(), directory.id(), userName)
                .filter(other -> !other.equals(current.id()))
                .ifPresent(other -> {
                    throw ScimError.conflict("A user with the userName '" + userName + "' exists in this directory.");
                });
        if (resource.equals(current.resource())) {
            return view(directory, current);
        }
        StoredUser updated = new StoredUser(current.id(), current.organizationId(), current.directoryId(), userName,
                text(resource, "externalId"), text(resource, "displayName"), active(resource), current.accountId(),
                current.membershipId(), resource, current.version() + 1,
                current.createdAt(), clock.instant(), current.heldReason(), current.invitationId());
        try {
            users.update(updated);
        }
        catch (DuplicateKeyException ex) {
            throw ScimError.conflict("A user with the userName '" + userName + "' exists in this directory.");
        }
        StoredUser linked = lifecycle.apply(directory, updated);
        if (!current.active() && linked.active()) {
            events.userProvisioned(directory, linked, "activated");
        }
        else if (current.active() && !linked.active()) {
            events.userDeprovisioned(directory, linked, "deactivated");
        }
        return view(directory, linked);
    }

    /** The writable attributes, checked against the schema, with {@code active} explicit and manager.$ref set. */
    private static ObjectNode shape(ObjectNode body, String usersBaseUrl) {
        ObjectNode resource = ResourceShape.writable(body, ScimSchemas.USER_TYPE);
        if (!resource.has("active")) {
            resource.put("active", true);
        }
        JsonNode enterprise = resource.get(ScimSchemas.ENTERPRISE_USER);
        if (enterprise instanceof ObjectNode extension && extension.get("manager") instanceof ObjectNode manager) {
            JsonNode value = manager.get("value");
            if (value != null && value.isTextual() && !value.textValue().isBlank()) {
                manager.put("$ref", usersBaseUrl + "/" + value.textValue().trim());
            }
            else {
                extension.remove("manager");
            }
        }
        ResourceShape.check(resource, ScimSchemas.USER_TYPE);
        JsonNode userName = resource.get("userName");
        if (userName == null || !userName.isTextual() || userName.textValue().isBlank()) {
            throw ScimError.badRequest(ScimError.INVALID_VALUE, "userName is required.");
        }
        if (userName.textValue().length() > 320) {
            throw ScimError.badRequest(ScimError.INVALID_VALUE, "userName has at most 320 characters.");
        }
        for (String field : List.of("externalId", "displayName")) {
            JsonNode value = resource.get(field);
            if (value != null && value.isTextual() && value.textValue().length() > 320) {
                throw ScimError.badRequest(ScimError.INVALID_VALUE, field + " has at most 320 characters.");
            }
        }
        return resource;
    }

    private StoredUser find(ScimDirectory directory, String id) {
        return Ids.parse(id).flatMap(uuid -> users.find(directory.organizationId(), directory.id(), uuid))
                .orElseThrow(() -> ScimError.notFound("User " + id + " not found."));
    }

    private StoredUser lock(ScimDirectory directory, String id) {
        return Ids.parse(id).flatMap(uuid -> users.lock(directory.organizationId(), directory.id(), uuid))
                .orElseThrow(() -> ScimError.notFound("User " + id + " not found."));
    }

    private UserView view(ScimDirectory directory, StoredUser user) {
        var groups = users.groups(directory.organizationId(), directory.id(), List.of(user.id()));
        return new UserView(user, refs(groups.get(user.id())));
    }

    private static List<Ref> refs(List<ScimUserRepository.GroupRef> groups) {
        return groups == null ? List.of() : groups.stream().map(g -> new Ref(g.id(), g.displayName())).toList();
    }

    private static String userName(ObjectNode resource) {
        return resource.get("userName").textValue().trim();
    }

    private static boolean active(ObjectNode resource) {
        JsonNode active = resource.get("active");
        return active == null || !active.isBoolean() || active.booleanValue();
    }

    private static String text(ObjectNode resource, String field) {
        JsonNode value = resource.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

}
