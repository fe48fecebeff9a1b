package org.esrp.common.security;

import java.util.List;
import java.util.Set;

/**
 * The platform's roles. A role carries those below it (admin: researcher and analyst; researcher: analyst), so an
 * endpoint names the least role it needs. Annotators stand apart: they see their own tasks and ratings only.
 */
public final class Roles {

    /** Everything, on every service: the operator's token. */
    public static final String ADMIN = "admin";
    /** Studies, responders, runs, designs, annotators, exports and unblinded metrics. */
    public static final String RESEARCHER = "researcher";
    /** Read-only: unblinded metrics and exports. */
    public static final String ANALYST = "analyst";
    /** Own tasks and ratings only, blind. */
    public static final String ANNOTATOR = "annotator";

    public static final List<String> ISSUED = List.of(ADMIN, RESEARCHER, ANALYST);

    private Roles() {
    }

    /** The roles an identity with {@code role} holds. */
    public static Set<String> implied(String role) {
        return switch (role) {
            case ADMIN -> Set.of(ADMIN, RESEARCHER, ANALYST);
            case RESEARCHER -> Set.of(RESEARCHER, ANALYST);
            case ANALYST -> Set.of(ANALYST);
            case ANNOTATOR -> Set.of(ANNOTATOR);
            default -> throw new IllegalArgumentException("unknown role " + role + "; roles are " + ISSUED + " and " + ANNOTATOR);
        };
    }
}
