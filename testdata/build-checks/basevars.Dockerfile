FROM bc:base
# the base's ENV (PATH) is known from the store, $UNDEF is not defined
ENV X=$UNDEF P=$PATH
