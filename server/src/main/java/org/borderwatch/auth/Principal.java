package org.borderwatch.auth;

/**
 * Who made a request: a user ({@code name} is the username) or a device ({@code unitId} is the only unit it may
 * report), and the agency it belongs to (a device: its unit's), which decides what it may see ({@link Visibility}).
 */
public record Principal(String name, Role role, String unitId, String agency) {

    /** The agency whose users see and administer everything (API.md §9). */
    public static final String ROOT = "root";

    public static Principal user(String name, Role role, String agency) {
        return new Principal(name, role, null, agency);
    }

    public static Principal device(String unitId, String agency) {
        return new Principal("device:" + unitId, Role.DEVICE, unitId, agency);
    }

    /** May this caller write positions for {@code unit}? Admins for any, a device for its own. */
    public boolean mayReport(String unit) {
        return role == Role.ADMIN || (role == Role.DEVICE && unitId.equals(unit));
    }

    public boolean isRoot() {
        return ROOT.equals(agency);
    }
}
