#!/bin/sh
exec "${@}"
