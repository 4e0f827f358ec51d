#!/bin/sh
# Start Cunban with the desktop session of the hall's kiosk account (UOS, Kylin and other XDG desktops).
set -e
mkdir -p /etc/xdg/autostart
cat > /etc/xdg/autostart/cunban.desktop <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Cunban 村办
Exec=/opt/Cunban/cunban
X-GNOME-Autostart-enabled=true
DESKTOP
