package org.borderwatch.auth;

import java.util.Locale;

/** What a caller may do. People have viewer, operator or admin; a device key only reports its own unit. */
public enum Role {
    DEVICE,
    VIEWER,
    OPERATOR,
    ADMIN;

    /** True when this role includes everything {@code required} may do (devices include nothing but themselves). */
    public boolean includes(Role required) {
        if (this == DEVICE || required == DEVICE) {
            return this == required;
        }
        return ordinal() >= required.ordinal();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A person's role from its wire name, or null when unknown (devices are never created by name). */
    public static Role ofPerson(String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "viewer" -> VIEWER;
            case "operator" -> OPERATOR;
            case "admin" -> ADMIN;
            default -> null;
        };
    }
}
