package dev.roster.membership;

import dev.roster.shared.ConflictException;

public class LastAdminException extends ConflictException {

    LastAdminException(String what) {
        super("last-admin", "The organization's last admin cannot be " + what
                + ". Make another member an admin first.");
    }
}
