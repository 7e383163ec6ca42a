package dev.minitower.store.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.minitower.model.hash.Sha256;
import dev.minitower.store.artifacts.ArtifactStore.StoredArtifact;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ArtifactStoreTest {

  @Inject ArtifactStore store;

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(System.nanoTime()).nextBytes(b);
    return b;
  }

  private static String sha(byte[] b) throws Exception {
    return Sha256.hex(b);
  }

  private static Path file(byte[] b) throws Exception {
    Path p = Files.createTempFile("artifact-test", ".bin");
    Files.write(p, b);
    p.toFile().deleteOnExit();
    return p;
  }

  @Test
  void putStoresChunksAndOpenStreamsTheSameBytes() throws Exception {
    byte[] bytes = randomBytes(ArtifactStore.CHUNK_SIZE * 3 + 12345);
    String sha = sha(bytes);
    Path f = file(bytes);
    StoredArtifact stored =
        QuarkusTransaction.requiringNew().call(() -> store.put(f, sha, bytes.length));
    assertThat(stored.created()).isTrue();
    assertThat(stored.chunkCount()).isEqualTo(4);
    assertThat(store.exists(sha)).isTrue();
    try (InputStream in = store.open(sha)) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
  }

  @Test
  void secondPutOfTheSameContentIsDeduplicated() throws Exception {
    byte[] bytes = randomBytes(1000);
    String sha = sha(bytes);
    Path f = file(bytes);
    QuarkusTransaction.requiringNew().call(() -> store.put(f, sha, bytes.length));
    StoredArtifact again =
        QuarkusTransaction.requiringNew().call(() -> store.put(f, sha, bytes.length));
    assertThat(again.created()).isFalse();
    assertThat(again.size()).isEqualTo(1000);
  }

  @Test
  void emptyArtifactIsStoredWithNoChunks() throws Exception {
    byte[] bytes = new byte[0];
    String sha = sha(bytes);
    Path f = file(bytes);
    QuarkusTransaction.requiringNew().call(() -> store.put(f, sha, 0));
    try (InputStream in = store.open(sha)) {
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void contentThatDoesNotMatchItsDigestIsRefusedAndNothingIsStored() throws Exception {
    byte[] bytes = randomBytes(5000);
    String wrong = sha(randomBytes(10));
    Path f = file(bytes);
    assertThatThrownBy(
            () -> QuarkusTransaction.requiringNew().call(() -> store.put(f, wrong, bytes.length)))
        .hasStackTraceContaining("does not match sha256");
    assertThat(store.exists(wrong)).isFalse();
  }

  @Test
  void putOutsideATransactionFailsLoudly() throws Exception {
    byte[] bytes = randomBytes(10);
    Path f = file(bytes);
    assertThatThrownBy(() -> store.put(f, sha(bytes), 10))
        .isInstanceOf(jakarta.transaction.TransactionalException.class);
  }

  @Test
  void openingAnUnknownDigestThrowsNotFound() {
    assertThatThrownBy(() -> store.open("0".repeat(64)))
        .isInstanceOf(ArtifactStore.ArtifactNotFoundException.class);
    assertThat(store.exists("not-a-sha")).isFalse();
  }

  @Test
  void concurrentPutsOfTheSameContentStoreItOnce() throws Exception {
    byte[] bytes = randomBytes(ArtifactStore.CHUNK_SIZE + 1);
    String sha = sha(bytes);
    Path f = file(bytes);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Callable<StoredArtifact> put =
          () -> QuarkusTransaction.requiringNew().call(() -> store.put(f, sha, bytes.length));
      List<Future<StoredArtifact>> results = pool.invokeAll(List.of(put, put, put, put));
      int created = 0;
      for (Future<StoredArtifact> r : results) {
        created += r.get().created() ? 1 : 0;
      }
      assertThat(created).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    try (InputStream in = store.open(sha)) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
  }
}
