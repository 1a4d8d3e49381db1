#!/bin/sh
echo "checking the frobnicator"
echo "frobnicator missing" >&2
exit 3
