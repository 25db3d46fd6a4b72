#!/bin/sh
echo "1..0 # SKIP integration suite not written yet"
