package dev.minitower.runners;

import dev.minitower.testsupport.ServiceInfrastructureContract;
import io.quarkus.test.junit.QuarkusTest;

/**
 * runner-service boots on the real stack: probes, metrics, migrated schema, PostgreSQL and Kafka.
 */
@QuarkusTest
class RunnerServiceInfrastructureTest extends ServiceInfrastructureContract {}
