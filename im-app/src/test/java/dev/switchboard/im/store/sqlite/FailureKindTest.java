package dev.switchboard.im.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

class FailureKindTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = SQLiteErrorCode.class, names = {"SQLITE_IOERR", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_WRITE",
            "SQLITE_IOERR_SHORT_READ", "SQLITE_CORRUPT", "SQLITE_CORRUPT_INDEX", "SQLITE_NOTADB", "SQLITE_FULL",
            "SQLITE_CANTOPEN", "SQLITE_CANTOPEN_ISDIR", "SQLITE_NOMEM", "SQLITE_READONLY", "SQLITE_READONLY_DBMOVED",
            "SQLITE_INTERNAL", "SQLITE_MISUSE"})
    void diskFileAndLibraryFailuresAreFatalWhateverTheExtendedCode(SQLiteErrorCode code) {
        assertThat(FailureKind.of(sqlite(code))).isEqualTo(FailureKind.FATAL);
        assertThat(FailureKind.FATAL.isTransient()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = SQLiteErrorCode.class, names = {"SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_TIMEOUT",
            "SQLITE_LOCKED", "SQLITE_LOCKED_SHAREDCACHE"})
    void lockContentionIsBusy(SQLiteErrorCode code) {
        assertThat(FailureKind.of(sqlite(code))).isEqualTo(FailureKind.BUSY);
        assertThat(FailureKind.BUSY.isTransient()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = SQLiteErrorCode.class, names = {"SQLITE_ERROR", "SQLITE_CONSTRAINT", "SQLITE_CONSTRAINT_UNIQUE",
            "SQLITE_CONSTRAINT_FOREIGNKEY", "SQLITE_CONSTRAINT_TRIGGER", "SQLITE_MISMATCH", "SQLITE_TOOBIG",
            "SQLITE_RANGE", "SQLITE_SCHEMA", "SQLITE_ABORT", "SQLITE_INTERRUPT", "UNKNOWN_ERROR"})
    void oneRequestsFailuresFailThatRequest(SQLiteErrorCode code) {
        assertThat(FailureKind.of(sqlite(code))).isEqualTo(FailureKind.REQUEST);
    }

    @Test
    void errorsAreFatalAndOtherExceptionsBlameTheRequest() {
        assertThat(FailureKind.of(new OutOfMemoryError("Java heap space"))).isEqualTo(FailureKind.FATAL);
        assertThat(FailureKind.of(new StackOverflowError())).isEqualTo(FailureKind.FATAL);
        assertThat(FailureKind.of(new IllegalStateException("bug in one operation"))).isEqualTo(FailureKind.REQUEST);
        assertThat(FailureKind.of(new SQLException("no result code"))).isEqualTo(FailureKind.REQUEST);
    }

    @Test
    void theCauseChainIsSearchedForTheGravestKind() {
        assertThat(FailureKind.of(new CompletionException(sqlite(SQLiteErrorCode.SQLITE_IOERR_FSYNC))))
                .isEqualTo(FailureKind.FATAL);
        assertThat(FailureKind.of(new UncheckedIOException(new java.io.IOException("x",
                sqlite(SQLiteErrorCode.SQLITE_BUSY))))).isEqualTo(FailureKind.BUSY);
        assertThat(FailureKind.of(new RuntimeException(new OutOfMemoryError()))).isEqualTo(FailureKind.FATAL);
    }

    @Test
    void theMessageTextDoesNotMatterOnlyTheResultCode() {
        assertThat(FailureKind.of(new SQLiteException("[SQLITE_IOERR] disk I/O error",
                SQLiteErrorCode.SQLITE_CONSTRAINT))).isEqualTo(FailureKind.REQUEST);
        assertThat(FailureKind.of(new SQLiteException("UNIQUE constraint failed",
                SQLiteErrorCode.SQLITE_CORRUPT))).isEqualTo(FailureKind.FATAL);
    }

    @Test
    void realConstraintAndSyntaxErrorsFromTheDriverBlameTheRequest() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("real.db"));
             Statement s = db.createStatement()) {
            s.execute("CREATE TABLE t (k TEXT PRIMARY KEY)");
            s.execute("INSERT INTO t VALUES ('a')");
            SQLiteException duplicate = catchThrowableOfType(SQLiteException.class,
                    () -> s.execute("INSERT INTO t VALUES ('a')"));
            SQLiteException syntax = catchThrowableOfType(SQLiteException.class, () -> s.execute("INSERT INTO"));

            assertThat(FailureKind.primaryCode(duplicate.getResultCode()))
                    .isEqualTo(SQLiteErrorCode.SQLITE_CONSTRAINT.code);
            assertThat(FailureKind.of(duplicate)).isEqualTo(FailureKind.REQUEST);
            assertThat(FailureKind.of(syntax)).isEqualTo(FailureKind.REQUEST);
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsFatal() throws Exception {
        Path garbage = dir.resolve("garbage.db");
        Files.writeString(garbage, "this is not an SQLite database, just text that is long enough".repeat(100));

        SQLException notADatabase = catchThrowableOfType(SQLException.class,
                () -> SqliteConnection.open(garbage, Duration.ofSeconds(1)).close());

        assertThat((Throwable) notADatabase).isInstanceOf(SQLiteException.class);
        assertThat(((SQLiteException) notADatabase).getResultCode()).isEqualTo(SQLiteErrorCode.SQLITE_NOTADB);
        assertThat(FailureKind.of(notADatabase)).isEqualTo(FailureKind.FATAL);
    }

    @Test
    void aDescriptionNamesTheSqliteCodeOrTheErrorType() {
        assertThat(FailureKind.describe(sqlite(SQLiteErrorCode.SQLITE_IOERR_FSYNC))).contains("SQLITE_IOERR_FSYNC");
        assertThat(FailureKind.describe(new OutOfMemoryError("Java heap space")))
                .isEqualTo("OutOfMemoryError: Java heap space");
        assertThat(FailureKind.describe(new StackOverflowError())).isEqualTo("StackOverflowError");
    }

    static SQLiteException sqlite(SQLiteErrorCode code) {
        return new SQLiteException("[" + code.name() + "] simulated (" + code.message + ")", code);
    }
}
