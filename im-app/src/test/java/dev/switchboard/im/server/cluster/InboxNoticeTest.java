package dev.switchboard.im.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InboxNoticeTest {

    @Test
    void roundTrips() {
        InboxNotice notice = new InboxNotice(Map.of("CqAAAxpZtj", 41L, "Bx91kLm0Qa", 7L));
        assertThat(InboxNotice.decode(notice.encode())).isEqualTo(notice);
        assertThat(InboxNotice.decode(new InboxNotice(Map.of()).encode()).seqByUser()).isEmpty();
    }

    @Test
    void malformedPartsAreSkippedAndTheRestKept() {
        assertThat(InboxNotice.decode("a=1 =2 b= c=x d=-4 e=0 f=9999999999999999999999 g=3 a=5  h=6").seqByUser())
                .isEqualTo(Map.of("a", 5L, "g", 3L, "h", 6L));
    }

    @Test
    void anyTextDecodesWithoutThrowing() {
        Random random = new Random(20261203L);
        String alphabet = "ab= 0123456789-\u00e9";
        for (int i = 0; i < 10_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(30); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(InboxNotice.decode(text.toString()).seqByUser().values()).allMatch(seq -> seq > 0);
        }
    }
}
