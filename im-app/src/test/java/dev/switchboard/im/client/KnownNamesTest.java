package dev.switchboard.im.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.client.KnownNames.Ambiguous;
import dev.switchboard.im.client.KnownNames.Found;
import dev.switchboard.im.client.KnownNames.Unknown;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownNamesTest {

    private final KnownNames names = new KnownNames();

    @Test
    void aGroupIsFoundByIdOrByItsNameIgnoringCase() {
        names.group("g1", "Night shift");

        assertThat(names.groupNameOf("g1")).isEqualTo("Night shift");
        assertThat(names.resolveGroup("g1")).isEqualTo(new Found("g1"));
        assertThat(names.resolveGroup("night SHIFT")).isEqualTo(new Found("g1"));
        assertThat(names.groups()).containsExactly("g1");
        assertThat(names.groupNames()).containsExactly("Night shift");
    }

    @Test
    void anUnknownSingleWordIsTakenAsAnIdAndAnUnknownNameWithSpacesIsRefused() {
        names.group("g1", "Night shift");

        assertThat(names.resolveGroup("Gx8kQ2aLp0")).isEqualTo(new Found("Gx8kQ2aLp0"));
        assertThat(names.resolveGroup("Day shift")).isEqualTo(new Unknown("Day shift"));
        assertThat(names.groupNameOf("Gx8kQ2aLp0")).isNull();
        assertThat(names.groupNameOf(null)).isNull();
    }

    @Test
    void aNameSeveralGroupsShareIsAmbiguousButTheirIdsStillWork() {
        names.group("g2", "Crew");
        names.group("g1", "crew");

        assertThat(names.resolveGroup("CREW")).isEqualTo(new Ambiguous("CREW", List.of("g1", "g2")));
        assertThat(names.resolveGroup("g2")).isEqualTo(new Found("g2"));
        assertThat(names.groupNames()).containsExactly("Crew", "crew");
    }

    @Test
    void anIdWinsOverAGroupNamedLikeIt() {
        names.group("g1", "g2");
        names.group("g2", "Other");

        assertThat(names.resolveGroup("g2")).isEqualTo(new Found("g2"));
    }

    @Test
    void aRenameReplacesTheOldName() {
        names.group("g1", "Day shift");
        names.group("g1", "Night shift");
        names.group("g1", null); // an event without a name changes nothing

        assertThat(names.groupNameOf("g1")).isEqualTo("Night shift");
        assertThat(names.resolveGroup("Night shift")).isEqualTo(new Found("g1"));
        assertThat(names.resolveGroup("Day shift")).isEqualTo(new Unknown("Day shift"));
    }

    @Test
    void groupNamesAreBoundedButAKnownGroupCanStillBeRenamed() {
        for (int i = 0; i < KnownNames.MAX_EACH + 10; i++) {
            names.group("g" + i, "group " + i);
        }
        names.group("g0", "renamed");

        assertThat(names.groupNames()).hasSize(KnownNames.MAX_EACH).contains("renamed");
        assertThat(names.groups()).hasSize(KnownNames.MAX_EACH);
        assertThat(names.groupNameOf("g" + (KnownNames.MAX_EACH + 5))).isNull();
    }

    @Test
    void usersAreRememberedWithTheirIds() {
        names.user("u2", "bob");
        names.users(List.of("carol", ""));

        assertThat(names.users()).containsExactly("bob", "carol");
        assertThat(names.nameOf("u2")).isEqualTo("bob");
    }
}
