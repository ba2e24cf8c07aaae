package dev.tollgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {

    @TempDir
    Path dir;

    @Test
    void addListsAndRemovesAccountsByName() {
        UsersFile users = UsersFile.at(dir.resolve("users.properties"));
        assertThat(users.exists()).isFalse();
        users.add("zoe", "pw-z".toCharArray(), false, 1000);
        users.add("ann", "pw-a".toCharArray(), true, 1000);
        assertThat(users.list()).containsExactly(new DashboardUser("ann", true), new DashboardUser("zoe", false));
        users.add("zoe", "pw-z2".toCharArray(), true, 1000);
        assertThat(users.list()).contains(new DashboardUser("zoe", true));
        assertThat(users.remove("zoe")).isTrue();
        assertThat(users.remove("zoe")).isFalse();
        assertThat(users.list()).containsExactly(new DashboardUser("ann", true));
    }

    @Test
    void passwordsAreStoredAsSaltedPbkdf2HashesNeverInClear() throws Exception {
        UsersFile users = UsersFile.at(dir.resolve("users.properties"));
        users.add("ann", "open sesame".toCharArray(), true, 1000);
        users.add("bob", "open sesame".toCharArray(), true, 1000);
        String text = Files.readString(users.path());
        assertThat(text).doesNotContain("open sesame");
        List<String> lines = text.lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("ann=staff:pbkdf2-sha256:1000:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]{44}");
        assertThat(lines.get(0).substring(lines.get(0).lastIndexOf(':')))
                .isNotEqualTo(lines.get(1).substring(lines.get(1).lastIndexOf(':')));
        UsersFile.Entry ann = users.readIfExists().get("ann");
        assertThat(ann.hash().matches("open sesame".toCharArray())).isTrue();
        assertThat(ann.hash().matches("open sesame!".toCharArray())).isFalse();
        assertThat(Files.getPosixFilePermissions(users.path())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void newPasswordsTakeTheDefaultIterationCount() throws Exception {
        UsersFile users = UsersFile.at(dir.resolve("users.properties"));
        users.add("ann", "pw".toCharArray(), true);
        assertThat(Files.readString(users.path())).contains("ann=staff:pbkdf2-sha256:600000:");
    }

    @Test
    void createIfMissingWritesOneAdminOnceWithItsPasswordInAFileBesideOnlyItsOwnerReads() throws Exception {
        UsersFile users = UsersFile.at(dir.resolve("nested/users.properties"));
        Path passwordFile = users.createIfMissing(1000).orElseThrow();
        assertThat(passwordFile)
                .isEqualTo(dir.resolve("nested/tollgate-admin-password.txt").toAbsolutePath());
        assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String password = Files.readString(passwordFile);
        assertThat(password).matches("[A-Za-z0-9_-]{20}\n");
        assertThat(users.list()).containsExactly(new DashboardUser("admin", true));
        assertThat(users.readIfExists()
                        .get("admin")
                        .hash()
                        .matches(password.strip().toCharArray()))
                .isTrue();
        assertThat(Files.readString(users.path())).doesNotContain(password.strip());
        assertThat(users.createIfMissing(1000)).isEmpty();
        assertThat(Files.readString(passwordFile)).isEqualTo(password);
        try (Stream<Path> files = Files.list(dir.resolve("nested"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("users.properties", "tollgate-admin-password.txt");
        }
    }

    @Test
    void aStalePasswordFileIsReplacedWhenTheUsersFileIsCreatedAgain() throws Exception {
        UsersFile users = UsersFile.at(dir.resolve("users.properties"));
        Path stale = Files.writeString(users.firstPasswordFile(), "old\n");
        Files.setPosixFilePermissions(stale, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(users.createIfMissing(1000)).isPresent();
        assertThat(Files.readString(stale)).isNotEqualTo("old\n");
        assertThat(Files.getPosixFilePermissions(stale)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aBrokenLineIsReportedWithItsFileAndLineNumber() throws Exception {
        Path file = dir.resolve("users.properties");
        Files.writeString(
                file,
                "# users\n\nann=staff:pbkdf2-sha256:1000:c2FsdA==:"
                        + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nbob=admin:pbkdf2-sha256:1:c2FsdA==:x\n");
        assertThatThrownBy(() -> UsersFile.at(file).list())
                .isInstanceOf(DashboardException.class)
                .hasMessage("users file " + file + " line 4: the role of 'bob' is 'admin'; use staff or user");
        Files.writeString(file, "carol=staff:plain-password\n");
        assertThatThrownBy(() -> UsersFile.at(file).list())
                .hasMessageContaining("line 1: the password of 'carol' is not a hash");
        Files.writeString(file, "just a line\n");
        assertThatThrownBy(() -> UsersFile.at(file).list())
                .hasMessageContaining("line 1: expected NAME=ROLE:pbkdf2-sha256");
    }

    @Test
    void namesAndPasswordsAreChecked() {
        UsersFile users = UsersFile.at(dir.resolve("users.properties"));
        assertThatThrownBy(() -> users.add("a b", "pw".toCharArray(), true, 1000))
                .isInstanceOf(DashboardException.class)
                .hasMessageContaining("'a b' is not a user name");
        assertThatThrownBy(() -> users.add("ann", new char[0], true, 1000))
                .isInstanceOf(DashboardException.class)
                .hasMessageContaining("password of 'ann' is empty");
        assertThat(users.exists()).isFalse();
    }
}
