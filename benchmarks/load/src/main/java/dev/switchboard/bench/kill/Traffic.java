package dev.switchboard.bench.kill;

/**
 * What the clients did and heard besides deliveries, over the whole run.
 *
 * @param sent distinct messages sent (a resend is not a new message)
 * @param acknowledged messages with a SendAck: the server promised to have stored them
 * @param unacknowledged messages still without a SendAck when the run ended
 * @param resent requests sent again after a reconnect, with their original clientMsgId
 * @param refused messages the server answered with an ErrorResponse
 * @param firstRefusal code and reason of the first refusal, or {@code null}
 * @param reconnects successful logins after an account's first: resumes with token and lastSeq
 * @param failovers of those, logins on another server than the account's previous login (a cluster's next node)
 * @param tokenFallbacks resumes whose token the server no longer knew (it died after spending it and before its
 *     LoginResponse arrived), done with the password instead
 * @param connectFailures connection attempts refused while the server was down
 * @param loginFailures logins refused or unanswered on an open connection
 * @param unmatchedAcks SendAcks for no pending message
 * @param otherErrors deliveries without a stamp of this run, errors that answered no message, unreadable packets
 */
public record Traffic(long sent, long acknowledged, long unacknowledged, long resent, long refused,
        String firstRefusal, long reconnects, long failovers, long tokenFallbacks, long connectFailures,
        long loginFailures, long unmatchedAcks, long otherErrors) {}
