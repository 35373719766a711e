package dev.switchboard.im.server.group;

import dev.switchboard.im.server.error.ImException;
import dev.switchboard.im.store.Group;
import java.util.List;

/**
 * What a group name may be: the rules of user names (1 to {@value Group#MAX_NAME_LENGTH} characters, no outer
 * whitespace, printable only: no control, format, separator, surrogate, private-use or unassigned code points), since
 * group names are shown to every member. Stateless.
 */
final class GroupNameRule {

    private GroupNameRule() {
    }

    /** The name, or BAD_REQUEST naming what is wrong with it. */
    static String check(String name) {
        if (name == null || name.isBlank() || name.length() > Group.MAX_NAME_LENGTH || !name.strip().equals(name)) {
            throw ImException.badRequest("group name must be 1 to " + Group.MAX_NAME_LENGTH
                    + " characters without outer spaces");
        }
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            if (!printable(codePoint)) {
                throw ImException.badRequest(String.format("group name must be printable: U+%04X is not allowed",
                        codePoint));
            }
            i += Character.charCount(codePoint);
        }
        return name;
    }

    /** The name of a group created without one: its members' names, shortened to fit. */
    static String fromMembers(List<String> memberNames) {
        String joined = String.join(", ", memberNames);
        return joined.length() <= Group.MAX_NAME_LENGTH ? joined
                : joined.substring(0, Group.MAX_NAME_LENGTH - 3).strip() + "...";
    }

    private static boolean printable(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> false;
            default -> true;
        };
    }
}
