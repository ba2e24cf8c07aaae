#!/bin/sh
# Builds the Java runtime the self-contained distribution ships in runtime/: jlink over the modules jdeps finds
# in tollgate.jar, and those it cannot see because they are only loaded by name while Tollgate runs.
#
#   jlink-runtime.sh JDK JAR OUTPUT
set -eu

if [ $# -ne 3 ]; then
    echo "usage: jlink-runtime.sh JDK JAR OUTPUT" >&2
    exit 2
fi
jdk=$1
jar=$2
output=$3

if [ ! -d "$jdk/jmods" ]; then
    echo "jlink-runtime: $jdk has no jmods folder, so jlink cannot build a runtime from it;" \
        "build with a full JDK 17 (the openjdk-17-jdk package has them) or leave out the self-contained" \
        "variant with -P-self-contained" >&2
    exit 1
fi

# TLS with elliptic curves, the JVM's management beans and socket options (Hazelcast, the metrics), zip file systems and DNS
# through JNDI are reached by name, never by a class reference jdeps could follow.
loaded_by_name=jdk.crypto.ec,jdk.management,jdk.net,jdk.zipfs,jdk.naming.dns

found=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 -q "$jar")
rm -rf "$output"
"$jdk/bin/jlink" \
    --add-modules "$found,$loaded_by_name" \
    --strip-debug \
    --no-man-pages \
    --no-header-files \
    --compress=2 \
    --output "$output"
echo "jlink-runtime: $output holds $found,$loaded_by_name"
