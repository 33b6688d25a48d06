#!/bin/sh
# A worker launcher for crash.test: counts the workers it starts in the file
# $INFER_TUNE_TEST_COUNTER; the 3rd dies of SIGSEGV, the 4th hangs, the
# others run their command (infer-run).
n=$(cat "$INFER_TUNE_TEST_COUNTER" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" >"$INFER_TUNE_TEST_COUNTER"
case "$n" in
  3) kill -SEGV $$ ;;
  4) sleep 60 ;;
esac
exec "$@"
