#!/bin/sh
# As in the apache/kafka image: the broker's API versions (the compose healthcheck).
exec java -Xmx64m -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties \
  -cp '/opt/kafka/libs/*' org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
