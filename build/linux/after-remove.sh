#!/bin/sh
rm -f /etc/xdg/autostart/cunban.desktop
