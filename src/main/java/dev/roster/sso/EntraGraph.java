package dev.roster.sso;

import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

@Component
class EntraGraph {

    Set<String> memberGroupIds(SsoConnection connection, String objectId) {
        throw new IllegalStateException("Graph look-ups arrive in the next commit");
    }

    Optional<String> groupName(SsoConnection connection, String groupId) {
        return Optional.empty();
    }
}
