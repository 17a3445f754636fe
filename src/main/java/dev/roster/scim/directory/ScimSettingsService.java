package dev.roster.scim.directory;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.shared.Actor;
import dev.roster.shared.InvalidRequestException;

/** The organization's SCIM settings: what a directory's {@code active=false} does to the membership. */
@Service
@Transactional
public class ScimSettingsService {

    /** SUSPEND keeps the teams so {@code active=true} restores them; REMOVE ends the membership. */
    public enum OnDeactivate {
        SUSPEND, REMOVE;

        public static OnDeactivate parse(String value) {
            if (value != null) {
                for (OnDeactivate option : values()) {
                    if (option.name().equalsIgnoreCase(value.trim())) {
                        return option;
                    }
                }
            }
            throw InvalidRequestException.field("onDeactivate", "Choose suspend or remove.");
        }

        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final ScimSettingsRepository settings;
    private final AuditLog audit;
    private final Clock clock;

    ScimSettingsService(ScimSettingsRepository settings, AuditLog audit, Clock clock) {
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public OnDeactivate onDeactivate(UUID organizationId) {
        return settings.onDeactivate(organizationId).map(OnDeactivate::valueOf).orElse(OnDeactivate.SUSPEND);
    }

    public OnDeactivate update(UUID organizationId, String onDeactivate, Actor actor) {
        OnDeactivate wanted = OnDeactivate.parse(onDeactivate);
        OnDeactivate before = onDeactivate(organizationId);
        settings.saveOnDeactivate(organizationId, wanted.name(), clock.instant());
        if (before != wanted) {
            audit.record(organizationId, actor, "scim-settings.changed",
                    AuditTarget.of("scim-settings", organizationId, "SCIM settings"),
                    Map.of("onDeactivate", before.apiName()), Map.of("onDeactivate", wanted.apiName()));
        }
        return wanted;
    }
}
