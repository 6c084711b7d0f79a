#!/usr/bin/env bash
# Mints a bearer token for the local stack (signed with the key pair in .stack-data/jwt, made on first use).
#   ./token.sh patient p-001        an app's token for patient p-001
#   ./token.sh clinician c-001      clinician c-001 (also what the dashboard's login asks for)
#   ./token.sh catalog-editor       writes exercises and programs
#   ./token.sh ops                  reads metrics
#   ./token.sh admin                runs maintenance: insights' rebuild
# Valid 8 hours; --hours N for another lifetime. Use: curl -H "Authorization: Bearer $(./token.sh ops)" ...
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f local-stack/launcher/target/launcher.classpath ]; then
  ./mvnw -q -B package -DskipTests -pl local-stack/launcher -am >&2
fi
exec java -cp "local-stack/launcher/target/classes:$(cat local-stack/launcher/target/launcher.classpath)" \
  org.sciaticahep.stack.Tokens --root "$PWD" "$@"
